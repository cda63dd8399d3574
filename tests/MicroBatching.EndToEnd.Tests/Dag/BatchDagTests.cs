namespace MicroBatching.EndToEnd.Tests.Dag;

/// <summary>The executors the generator emitted for the graphs in Graphs.cs, compiled into this project.</summary>
public sealed class BatchDagTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AChainIntoADiamondRunsEveryNodeBatchedAndReturnsResultsInInputOrder()
    {
        var pipeline = new ReviewPipeline();
        string[] reviews = [" Great! ", "SPAM!!! buy now!!!", "ok", "Fine.", "meh", "Wow!!!", "no", "yes"];

        IReadOnlyList<BatchItemResult<Verdict>> results = await pipeline.ExecuteBatchAsync(reviews).WaitAsync(s_timeout);

        Assert.Equal(reviews, results.Select(r => r.Value.Text));
        Assert.Equal(reviews.Select(r => r.Trim().Length), results.Select(r => r.Value.Length));
        Assert.Equal([false, true, false, false, false, true, false, false], results.Select(r => r.Value.Spam));

        // 8 inputs, MaxSize 4: exactly two calls per node, of four items each.
        foreach (string node in new[] { "Clean", "Embed", "IsSpam", "Decide" })
        {
            Assert.Equal([4, 4], pipeline.Log.SizesOf(node));
        }
    }

    [Fact]
    public async Task ADiamondWaitsForBothBranchesWhichOverlapAndEachNodeRunsOncePerChunk()
    {
        var diamond = new Diamond();

        IReadOnlyList<BatchItemResult<int>> results = await diamond.ExecuteBatchAsync([1, 2, 3]).WaitAsync(s_timeout);

        Assert.Equal([10, 15, 20], results.Select(r => r.Value));
        Assert.All(new[] { "A", "B", "C", "D" }, node => Assert.Equal(1, diamond.Log.CallsOf(node)));
        var d = diamond.Log.Calls.Single(c => c.Node == "D");
        Assert.All(diamond.Log.Calls.Where(c => c.Node is "B" or "C"), c => Assert.True(c.End <= d.Start, "D started before a branch ended."));
    }

    [Fact]
    public async Task SeveralInputsAndOutputsASingleItemNodeAndAFailureOfSomeInputsOnly()
    {
        var pricing = new Pricing();
        Pricing.Input[] orders =
        [
            new("pen", 1), new("book", 10), new("bad-1", 2), new("ink", 20),
            new("cup", 3), new("mug", 1), new("pad", 5), new("tape", 30),
        ];

        IReadOnlyList<BatchItemResult<Pricing.Output>> results = await pricing.ExecuteBatchAsync(orders).WaitAsync(s_timeout);

        // The first chunk of Base (pen, book, bad-1, ink) fails: exactly those four inputs fail, at every node downstream.
        Assert.All(results.Take(4), r => Assert.Contains("no price for pen,book,bad-1,ink", Assert.IsType<InvalidOperationException>(r.Exception).Message));
        Assert.Equal(["cup: 9.00", "mug: 3.00", "pad: 15.00", "tape: 108.00"], results.Skip(4).Select(r => r.Value.Label));
        Assert.Equal([9m, 3m, 15m, 108m], results.Skip(4).Select(r => r.Value.Total));

        // The single-item node runs once per input that reaches it; Label runs only over the live ones.
        Assert.Equal(8, pricing.Log.CallsOf("Discount"));
        Assert.Equal([4], pricing.Log.SizesOf("Label"));
    }

    [Fact]
    public async Task ConcurrentExecuteAsyncCallsAreMicroBatchedAtEveryNodeAndRoutedBack()
    {
        var pipeline = new ReviewPipeline();
        string[] reviews = [.. Enumerable.Range(0, 16).Select(i => $"review {i}{new string('!', i % 5)}")];

        Verdict[] verdicts = await Task.WhenAll(reviews.Select(r => pipeline.ExecuteAsync(r))).WaitAsync(s_timeout);

        Assert.Equal(reviews, verdicts.Select(v => v.Text));
        Assert.Equal(reviews.Select(r => r.Count(c => c == '!') >= 3), verdicts.Select(v => v.Spam));

        // MaxSize 4 and a minute's wait: sixteen concurrent executions fill exactly four batches at every node.
        foreach (string node in new[] { "Clean", "Embed", "IsSpam", "Decide" })
        {
            Assert.Equal([4, 4, 4, 4], pipeline.Log.SizesOf(node));
        }
    }

    [Fact]
    public async Task ExecuteAsyncRunsAtMostMaxParallelismNodeCallsAtOnceAcrossTheGraph()
    {
        var fork = new Fork();

        int[] sums = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => fork.ExecuteAsync(i))).WaitAsync(s_timeout);

        Assert.Equal(Enumerable.Range(0, 8).Select(i => i + 1 + i * 2), sums);
        Assert.Equal(1, fork.MaxRunning);
    }

    [Fact]
    public async Task ExecuteAsyncTakesMaxParallelismFromItsRegistryAndThenLetsBranchesOverlap()
    {
        var registry = new MicroBatcherRegistry();
        using IDisposable wider = registry.ConfigureDagOptions(options => options.MaxParallelism = 2);
        var fork = new Fork { MeetBothBranches = true };
        registry.Attach(fork);

        Assert.Equal(1 + 1 + 2, await fork.ExecuteAsync(1).WaitAsync(s_timeout));
        Assert.Equal(2, fork.MaxRunning);
    }

    [Fact]
    public async Task ExecuteAsyncWithSeveralInputsAndOutputsFaultsOnlyTheExecutionsOfAFailedNodeCall()
    {
        var pricing = new Pricing();
        Task<Pricing.Output>[] calls =
        [
            pricing.ExecuteAsync("pen", 2), pricing.ExecuteAsync("bad", 1), pricing.ExecuteAsync("book", 10), pricing.ExecuteAsync("ink", 1),
            pricing.ExecuteAsync("cup", 1), pricing.ExecuteAsync("mug", 2), pricing.ExecuteAsync("pad", 3), pricing.ExecuteAsync("tape", 4),
        ];

        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(s_timeout);

        Assert.Equal(4, calls.Count(c => c.IsFaulted));
        Assert.All(calls.Where(c => c.IsFaulted), c => Assert.IsType<InvalidOperationException>(c.Exception!.InnerException));
        Assert.All(calls.Where(c => !c.IsFaulted), c => Assert.EndsWith(c.Result.Total.ToString("0.00"), c.Result.Label, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CancellationReachesNodeCallsInFlightAndTheRunThrows()
    {
        var hanging = new Hanging();
        using var cancellation = new CancellationTokenSource();

        Task<IReadOnlyList<BatchItemResult<int>>> run = hanging.ExecuteBatchAsync([1, 2, 3], cancellation.Token);
        await hanging.Started.Task.WaitAsync(s_timeout);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(s_timeout));
    }

    [Fact]
    public async Task BadArgumentsAreRefused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => new Diamond().ExecuteBatchAsync(null!));
    }

    [Fact]
    public async Task StreamingReturnsEveryResultInInputOrder()
    {
        var pricing = new Pricing();
        var results = new List<string>();
        await foreach (BatchItemResult<Pricing.Output> result in pricing.ExecuteStreamAsync(Orders(200)).WithCancellation(CancellationToken.None))
        {
            results.Add(result.Value.Label);
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"sku{i}: {(decimal)$"sku{i}".Length * 2:0.00}"), results);
    }

    [Fact]
    public void GraphDiagramIsMermaidWithEveryNeededNodeEdgeAndInput()
    {
        string diagram = ReviewPipeline.GraphDiagram;

        Assert.StartsWith("flowchart LR\n", diagram, StringComparison.Ordinal);
        Assert.Contains("input_review[/\"review: string\"/]", diagram, StringComparison.Ordinal);
        Assert.Contains("Clean[\"Clean · MaxSize 4\"]", diagram, StringComparison.Ordinal);
        Assert.Contains("Decide([\"Decide · MaxSize 4\"])", diagram, StringComparison.Ordinal);
        foreach (string edge in new[] { "input_review --> Clean", "Clean --> Embed", "Embed --> IsSpam", "Embed --> Decide", "IsSpam --> Decide", "input_review --> Decide" })
        {
            Assert.Contains(edge, diagram, StringComparison.Ordinal);
        }
    }

    private static async IAsyncEnumerable<Pricing.Input> Orders(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new Pricing.Input($"sku{i}", 2);
        }
    }
}
