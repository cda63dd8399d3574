using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MicroBatching;
using MicroBatching.Samples;

namespace QuickStart;

/// <summary>What one mode of the showcase measured.</summary>
public sealed record ModeReport(string Mode, int Requests, TimeSpan Elapsed, double P50Ms, double P99Ms, long ModelCalls, IReadOnlyDictionary<int, int> BatchSizes)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}

/// <summary>
/// Sends the same requests through the generated <c>InferAsync</c>, all at once, without batching and with it, and prints
/// both side by side: requests/s, p50 and p99 latency, model calls and the batch sizes.
/// </summary>
public static class Showcase
{
    private const string BatcherName = "QuickStart.SentimentModel.InferBatch";

    private static readonly string[] s_words =
    [
        "great", "terrible", "battery", "screen", "love", "broken", "fast", "slow", "excellent", "refund",
        "sound", "price", "quality", "support", "perfect", "awful", "works", "stopped", "happy", "again",
    ];

    public static async Task<(ModeReport Unbatched, ModeReport Batched)> RunAsync(int requests, TextWriter output, bool progress)
    {
        using var classifier = new TextClassifier();
        string[] texts = Texts(requests);
        ModeReport unbatched = await MeasureAsync("unbatched", classifier, texts, enabled: false, output, progress);
        ModeReport batched = await MeasureAsync("batched", classifier, texts, enabled: true, output, progress);
        Print(unbatched, batched, output);
        return (unbatched, batched);
    }

    private static async Task<ModeReport> MeasureAsync(string mode, TextClassifier classifier, string[] texts, bool enabled, TextWriter output, bool progress)
    {
        // The same class both times; only its registry's settings differ (Enabled = false makes every call a batch of one).
        var registry = new MicroBatcherRegistry();
        registry.ConfigureOptions(options => options.Enabled = enabled);
        var model = new SentimentModel(classifier);
        registry.Attach(model);
        await model.InferAsync("warm up the model and the batcher");

        var sizes = new ConcurrentDictionary<int, int>();
        using var listener = ListenToBatchSizes(sizes);
        var latencies = new double[texts.Length];
        int done = 0;
        long start = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource();
        Task reporter = progress ? ReportProgressAsync(mode, model, texts.Length, () => Volatile.Read(ref done), start, output, stop.Token) : Task.CompletedTask;

        float[] scores = await Task.WhenAll(texts.Select(async (text, i) =>
        {
            await Task.Yield();
            long sent = Stopwatch.GetTimestamp();
            float score = await model.InferAsync(text);
            latencies[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            Interlocked.Increment(ref done);
            return score;
        }));
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        await stop.CancelAsync();
        await reporter;

        // Every caller got the score of its own text.
        float[] expected = classifier.Score(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            if (Math.Abs(scores[i] - expected[i]) > 1e-4f)
            {
                throw new InvalidOperationException($"Request {i} got {scores[i]}, but its text scores {expected[i]}.");
            }
        }

        long calls = model.InferBatcher.GetStatistics().BatchesDispatched - 1; // less the warm-up
        await model.InferBatcher.DisposeAsync();
        Array.Sort(latencies);
        return new ModeReport(mode, texts.Length, elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99), calls, sizes);
    }

    // The batch sizes come from the library's own metrics (the MicroBatching meter), as a dashboard would see them.
    private static MeterListener ListenToBatchSizes(ConcurrentDictionary<int, int> sizes)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MicroBatchingDiagnostics.MeterName && instrument.Name == "microbatching.batch.size")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, size, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "microbatching.batcher.name" && Equals(tag.Value, BatcherName))
                {
                    sizes.AddOrUpdate(size, 1, (_, n) => n + 1);
                }
            }
        });
        listener.Start();
        return listener;
    }

    private static async Task ReportProgressAsync(string mode, SentimentModel model, int total, Func<int> done, long start, TextWriter output, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                int finished = done();
                output.Write($"\r  {mode,-9} {finished,6:N0}/{total:N0} requests  {finished / Stopwatch.GetElapsedTime(start).TotalSeconds,8:N0} req/s  " +
                             $"mean batch {model.InferBatcher.GetStatistics().AverageBatchSize,5:F1}   ");
            }
        }
        catch (OperationCanceledException)
        {
            output.Write('\r' + new string(' ', 80) + '\r');
        }
    }

    private static void Print(ModeReport unbatched, ModeReport batched, TextWriter output)
    {
        output.WriteLine($"{unbatched.Requests:N0} concurrent requests through the generated InferAsync, on an ONNX Runtime model (MLP 512 → 1024 → 1024 → 2):");
        output.WriteLine();
        output.WriteLine($"                   {"unbatched",12} {"batched",12}");
        output.WriteLine($"  requests/s       {unbatched.RequestsPerSecond,12:N0} {batched.RequestsPerSecond,12:N0}");
        output.WriteLine($"  p50 latency      {unbatched.P50Ms,9:N1} ms {batched.P50Ms,9:N1} ms");
        output.WriteLine($"  p99 latency      {unbatched.P99Ms,9:N1} ms {batched.P99Ms,9:N1} ms");
        output.WriteLine($"  model calls      {unbatched.ModelCalls,12:N0} {batched.ModelCalls,12:N0}");
        output.WriteLine();
        output.WriteLine("  batch sizes (model calls)");
        foreach (ModeReport report in new[] { unbatched, batched })
        {
            int total = Math.Max(1, report.BatchSizes.Values.Sum());
            foreach ((string label, int from, int to) in new[] { ("1", 1, 1), ("2-7", 2, 7), ("8-15", 8, 15), ("16-31", 16, 31), ("32", 32, int.MaxValue) })
            {
                int calls = report.BatchSizes.Where(s => s.Key >= from && s.Key <= to).Sum(s => s.Value);
                if (calls > 0)
                {
                    output.WriteLine($"  {report.Mode,-9} {label,5}  {new string('#', Math.Max(1, 40 * calls / total)),-40} {calls:N0}");
                }
            }
        }

        output.WriteLine();
        output.WriteLine($"batched: {batched.RequestsPerSecond / unbatched.RequestsPerSecond:F1}× the throughput, p99 {batched.P99Ms:N1} ms " +
                         $"(unbatched p99 {unbatched.P99Ms:N1} ms)");
    }

    private static string[] Texts(int count)
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, count).Select(_ => string.Join(' ', Enumerable.Range(0, 4 + random.Next(12)).Select(_ => s_words[random.Next(s_words.Length)])))];
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
