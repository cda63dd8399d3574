using ReviewPipeline;

namespace MicroBatching.Samples.Tests;

public sealed class ReviewPipelineSampleTests
{
    [Fact]
    public async Task TheSampleRunsItsReviewsBatchedAtEveryNodeAndOneAtATime()
    {
        const int Reviews = 300;
        var output = new StringWriter();

        DemoReport report = await ReviewPipeline.Demo.RunAsync(Reviews, output).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, report.Failed);
        Assert.Equal(Reviews, report.Labels.Values.Sum());
        Assert.Equal(["negative", "positive", "spam"], report.Labels.Keys.Order());

        // 300 reviews: ceil(300 / MaxSize) calls per node batched, one call per review and node one at a time.
        var expectedCalls = new Dictionary<string, long> { ["Clean"] = 2, ["Tokenize"] = 5, ["Embed"] = 3, ["Sentiment"] = 2, ["Spam"] = 2, ["Decide"] = 2 };
        Assert.Equal(expectedCalls.OrderBy(e => e.Key), report.BatchedNodes.Select(n => KeyValuePair.Create(n.Node, n.Calls)).OrderBy(e => e.Key));
        Assert.All(report.BatchedNodes, n => Assert.Equal(Reviews, n.Items));
        Assert.All(report.OneAtATimeNodes, n => Assert.Equal(Reviews, n.Calls));

        string printed = output.ToString();
        Assert.StartsWith("flowchart LR", printed, StringComparison.Ordinal);
        Assert.Contains("batched (ExecuteBatchAsync)", printed, StringComparison.Ordinal);
        Assert.Contains("one input at a time, 10 at once", printed, StringComparison.Ordinal);
    }
}
