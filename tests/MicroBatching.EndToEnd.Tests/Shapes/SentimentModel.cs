namespace MicroBatching.EndToEnd.Tests.Shapes;

/// <summary>The natural shape: IReadOnlyList in, Task of IReadOnlyList out, with a token.</summary>
public sealed partial class SentimentModel
{
    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 16, MaxWaitMs = 5000)]
    private async Task<IReadOnlyList<float>> InferBatchAsync(IReadOnlyList<string> texts, CancellationToken ct)
    {
        Log.Record(texts);
        await Task.Yield();
        if (texts.Contains("explode"))
        {
            throw new InvalidOperationException("The model failed on this batch.");
        }

        return [.. texts.Select(text => text.Contains("great", StringComparison.Ordinal) ? 1f : 0f)];
    }
}
