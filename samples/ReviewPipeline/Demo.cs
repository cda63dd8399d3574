using System.Diagnostics;
using MicroBatching;

namespace ReviewPipeline;

/// <summary>What one run of the demo measured.</summary>
public sealed record DemoReport(
    int Reviews,
    TimeSpan Batched,
    TimeSpan OneAtATime,
    IReadOnlyList<(string Node, long Calls, long Items)> BatchedNodes,
    IReadOnlyList<(string Node, long Calls, long Items)> OneAtATimeNodes,
    IReadOnlyDictionary<string, int> Labels,
    int Failed);

/// <summary>Runs the reviews through the graph batched, then one input at a time as the original design did, and prints both.</summary>
public static class Demo
{
    /// <summary>The original design's parallel-executions: whole-graph runs at once, one input each.</summary>
    public const int ParallelExecutions = 10;

    public static async Task<DemoReport> RunAsync(int count, TextWriter output)
    {
        var model = new TextModel();
        var counters = new NodeCounters();
        var analyzer = new ReviewAnalyzer(model, counters);
        string[] reviews = Reviews.Generate(count);

        output.WriteLine(ReviewAnalyzer.GraphDiagram);
        await analyzer.ExecuteBatchAsync(reviews.Take(64).ToArray()); // warm-up: JIT, tokenizer caches
        counters.Reset();

        long start = Stopwatch.GetTimestamp();
        IReadOnlyList<BatchItemResult<ReviewVerdict>> results = await analyzer.ExecuteBatchAsync(reviews);
        TimeSpan batched = Stopwatch.GetElapsedTime(start);
        var batchedNodes = counters.Snapshot();
        counters.Reset();

        start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(reviews, new ParallelOptions { MaxDegreeOfParallelism = ParallelExecutions },
            async (review, ct) => await analyzer.ExecuteBatchAsync([review], ct));
        TimeSpan oneAtATime = Stopwatch.GetElapsedTime(start);
        var oneAtATimeNodes = counters.Snapshot();

        var labels = results.Where(r => r.IsSuccess).GroupBy(r => r.Value.Label).ToDictionary(g => g.Key, g => g.Count());
        var report = new DemoReport(count, batched, oneAtATime, batchedNodes, oneAtATimeNodes, labels, results.Count(r => !r.IsSuccess));
        Print(report, output);
        return report;
    }

    private static void Print(DemoReport report, TextWriter output)
    {
        output.WriteLine($"{report.Reviews:N0} reviews: {string.Join(", ", report.Labels.OrderBy(l => l.Key).Select(l => $"{l.Value:N0} {l.Key}"))}, {report.Failed} failed");
        output.WriteLine();
        output.WriteLine($"{"node",-10} {"batched: calls",15} {"items",9}   {"one at a time: calls",21} {"items",9}");
        foreach ((string node, long calls, long items) in report.BatchedNodes.OrderBy(n => Order(n.Node)))
        {
            (string _, long singleCalls, long singleItems) = report.OneAtATimeNodes.FirstOrDefault(n => n.Node == node);
            output.WriteLine($"{node,-10} {calls,15:N0} {items,9:N0}   {singleCalls,21:N0} {singleItems,9:N0}");
        }

        output.WriteLine();
        output.WriteLine($"batched (ExecuteBatchAsync)                       : {report.Batched.TotalMilliseconds,8:N0} ms");
        output.WriteLine($"one input at a time, {ParallelExecutions} at once (original design): {report.OneAtATime.TotalMilliseconds,8:N0} ms");
        output.WriteLine($"batched: {report.OneAtATime / report.Batched:F1}x faster");
    }

    private static int Order(string node) => Array.IndexOf(["Clean", "Tokenize", "Embed", "Sentiment", "Spam", "Decide"], node);
}
