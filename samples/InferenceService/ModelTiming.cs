using System.Diagnostics;

namespace InferenceService;

/// <summary>
/// Times the model on this machine at batch 1 and at batch 32 when the service starts, and logs both: the reason to
/// batch, measured where the service runs.
/// </summary>
internal static partial class ModelTiming
{
    public static (double Batch1, double Batch32) Measure(ReviewModel model)
    {
        int[][] tokens = [.. Enumerable.Range(0, 32).Select(i => model.Tokenize($"review number {i}: the battery lasts all day, the screen is sharp"))];
        model.Score(tokens); // warm-up: the first Run allocates the session's buffers

        return (ItemsPerSecond(model, tokens, batchSize: 1, items: 256), ItemsPerSecond(model, tokens, batchSize: 32, items: 2_048));
    }

    public static void Log(ILogger logger, (double Batch1, double Batch32) measured) =>
        ModelMeasured(logger, measured.Batch1, measured.Batch32, measured.Batch32 / measured.Batch1);

    private static double ItemsPerSecond(ReviewModel model, int[][] tokens, int batchSize, int items)
    {
        int[][] batch = tokens[..batchSize];
        long started = Stopwatch.GetTimestamp();
        for (int done = 0; done < items; done += batchSize)
        {
            model.Score(batch);
        }

        return items / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "The model on this machine: {Batch1:N0} items/s at batch 1, {Batch32:N0} items/s at batch 32 ({Gain:F1}x).")]
    private static partial void ModelMeasured(ILogger logger, double batch1, double batch32, double gain);
}
