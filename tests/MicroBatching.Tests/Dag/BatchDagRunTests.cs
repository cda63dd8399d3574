using System.Collections.Concurrent;

namespace MicroBatching.Tests.Dag;

/// <summary>The batch-DAG executor without the generator: what docs/dag.md promises of a batch run.</summary>
public sealed class BatchDagRunTests
{
    [Fact]
    public async Task EachNodeRunsInChunksOfItsSizeAndResultsComeBackInInputOrder()
    {
        var calls = new ConcurrentDictionary<string, ConcurrentBag<int>>();
        int[] inputs = [.. Enumerable.Range(0, 10)];
        var run = new BatchDagRun(inputs.Length);
        DagColumn<int> input = run.Input(inputs);
        DagColumn<int> doubled = run.Node("Double", 4, [input], (chunk, _) => Record(calls, "Double", chunk, chunk.Of(input).Select(x => x * 2)));
        DagColumn<string> text = run.Node("Text", 3, [doubled], (chunk, _) => Record(calls, "Text", chunk, chunk.Of(doubled).Select(x => $"#{x}")));

        IReadOnlyList<BatchItemResult<string>> results = await run.ResultsAsync([text], i => text[i]).WithTimeout();

        Assert.Equal(inputs.Select(i => $"#{i * 2}"), results.Select(r => r.Value));
        Assert.Equal([2, 4, 4], calls["Double"].Order());   // ceil(10 / 4) = 3 calls
        Assert.Equal([1, 3, 3, 3], calls["Text"].Order());  // ceil(10 / 3) = 4 calls
    }

    [Fact]
    public async Task AFailingChunkFailsExactlyItsInputsDownstreamAndTheRestFinish()
    {
        var seenDownstream = new ConcurrentBag<int>();
        int[] inputs = [.. Enumerable.Range(0, 8)];
        var run = new BatchDagRun(inputs.Length);
        DagColumn<int> input = run.Input(inputs);
        DagColumn<int> first = run.Node("First", 4, [input], (chunk, _) =>
            chunk.Of(input).Contains(5) ? throw new InvalidOperationException("chunk with 5") : List(chunk.Of(input).Select(x => x + 100)));
        DagColumn<int> second = run.Node("Second", 2, [first], (chunk, _) =>
        {
            foreach (int value in chunk.Of(first))
            {
                seenDownstream.Add(value);
            }

            return List(chunk.Of(first).Select(x => x + 1));
        });

        IReadOnlyList<BatchItemResult<int>> results = await run.ResultsAsync([second], i => second[i]).WithTimeout();

        Assert.Equal([101, 102, 103, 104], results.Take(4).Select(r => r.Value));
        Assert.All(results.Skip(4), r => Assert.Equal("chunk with 5", Assert.IsType<InvalidOperationException>(r.Exception).Message));
        Assert.Equal([100, 101, 102, 103], seenDownstream.Order());
        Assert.Throws<InvalidOperationException>(() => results[7].Value);
    }

    [Fact]
    public async Task AResultOfTheWrongCountFailsThatChunkWithAMismatch()
    {
        var run = new BatchDagRun(6);
        DagColumn<int> input = run.Input([1, 2, 3, 4, 5, 6]);
        DagColumn<int> node = run.Node("Lossy", 3, [input], (chunk, _) =>
            List(chunk.Of(input).Contains(4) ? chunk.Of(input).Skip(1) : chunk.Of(input)));

        IReadOnlyList<BatchItemResult<int>> results = await run.ResultsAsync([node], i => node[i]).WithTimeout();

        Assert.Equal([1, 2, 3], results.Take(3).Select(r => r.Value));
        BatchResultCountMismatchException mismatch = Assert.IsType<BatchResultCountMismatchException>(results[4].Exception);
        Assert.Equal(3, mismatch.ExpectedCount);
        Assert.Equal(2, mismatch.ActualCount);
        Assert.Contains("Lossy", mismatch.Message);
        Assert.Contains("but returned 2 results", mismatch.Message);
    }

    [Fact]
    public async Task AResultThatIsNullFailsThatChunkSayingSo()
    {
        var run = new BatchDagRun(2);
        DagColumn<int> input = run.Input([1, 2]);
        DagColumn<int> node = run.Node("Forgetful", 1, [input], (chunk, _) =>
            chunk.Of(input)[0] == 2 ? new ValueTask<IReadOnlyList<int>>((IReadOnlyList<int>)null!) : List(chunk.Of(input)));

        IReadOnlyList<BatchItemResult<int>> results = await run.ResultsAsync([node], i => node[i]).WithTimeout();

        Assert.Equal(1, results[0].Value);
        BatchResultCountMismatchException mismatch = Assert.IsType<BatchResultCountMismatchException>(results[1].Exception);
        Assert.Equal(0, mismatch.ActualCount);
        Assert.Contains("but returned null", mismatch.Message);
    }

    [Fact]
    public async Task ColumnsOfAnotherRunOrNullAreRefusedByName()
    {
        var other = new BatchDagRun(2, new BatchDagOptions { Name = "other" });
        DagColumn<int> foreign = other.Input([1, 2]);
        var run = new BatchDagRun(2);
        DagColumn<int> input = run.Input([1, 2]);
        Func<DagChunk, CancellationToken, ValueTask<IReadOnlyList<int>>> call = (chunk, _) => List(chunk.Of(input));

        ArgumentException fromAnotherRun = Assert.Throws<ArgumentException>(() => run.Node("N", 1, [input, foreign], call));
        Assert.Equal("dependsOn", fromAnotherRun.ParamName);
        Assert.StartsWith("A column of another run ('other'): a node reads only columns of its own run.", fromAnotherRun.Message, StringComparison.Ordinal);
        Assert.Equal("dependsOn", Assert.Throws<ArgumentException>(() => run.ItemNode<int>("N", [null!], (i, _) => new(i))).ParamName);
        Assert.Equal("outputs", (await Assert.ThrowsAsync<ArgumentException>(() => run.ResultsAsync([foreign], i => i))).ParamName);

        // Nothing was added: the run still completes with its own column.
        Assert.Equal([1, 2], (await run.ResultsAsync([input], i => input[i]).WithTimeout()).Select(r => r.Value));
    }

    [Fact]
    public async Task IndependentNodesOverlapAndADiamondJoinWaitsForBoth()
    {
        using var bothStarted = new CountdownEvent(2);
        var run = new BatchDagRun(4);
        DagColumn<int> input = run.Input([1, 2, 3, 4]);
        DagColumn<int> left = run.Node("Left", 4, [input], async (chunk, _) =>
        {
            bothStarted.Signal();
            Assert.True(bothStarted.Wait(Generous), "Right never ran while Left did.");
            return await List(chunk.Of(input).Select(x => x * 10));
        });
        DagColumn<int> right = run.Node("Right", 4, [input], async (chunk, _) =>
        {
            bothStarted.Signal();
            Assert.True(bothStarted.Wait(Generous), "Left never ran while Right did.");
            return await List(chunk.Of(input).Select(x => -x));
        });
        DagColumn<int> join = run.Node("Join", 4, [left, right], (chunk, _) =>
            List(chunk.Of(left).Zip(chunk.Of(right), (l, r) => l + r)));

        IReadOnlyList<BatchItemResult<int>> results = await run.ResultsAsync([join], i => join[i]).WithTimeout();

        Assert.Equal([9, 18, 27, 36], results.Select(r => r.Value));
    }

    [Fact]
    public async Task AtMostMaxParallelismNodeCallsRunAtOnce()
    {
        int running = 0, peak = 0;
        var run = new BatchDagRun(40, new BatchDagOptions { MaxParallelism = 3 });
        DagColumn<int> input = run.Input([.. Enumerable.Range(0, 40)]);
        DagColumn<int> slow = run.Node("Slow", 2, [input], async (chunk, _) =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(5);
            Interlocked.Decrement(ref running);
            return chunk.Of(input);
        });
        DagColumn<int> perItem = run.ItemNode("PerItem", [input], async (i, _) =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(1);
            Interlocked.Decrement(ref running);
            return input[i];
        });

        await run.ResultsAsync([slow, perItem], i => slow[i] + perItem[i]).WithTimeout();

        Assert.Equal(3, Volatile.Read(ref peak));
    }

    [Fact]
    public async Task ASingleItemNodeIsCalledOncePerLiveInputAndFailsOnlyItsOwn()
    {
        var run = new BatchDagRun(5);
        DagColumn<int> input = run.Input([1, 2, 3, 4, 5]);
        DagColumn<int> item = run.ItemNode("Item", [input], (i, _) =>
            input[i] == 3 ? throw new ArgumentException("three") : new ValueTask<int>(input[i] * input[i]));

        IReadOnlyList<BatchItemResult<int>> results = await run.ResultsAsync([item], i => item[i]).WithTimeout();

        Assert.Equal([1, 4], results.Take(2).Select(r => r.Value));
        Assert.IsType<ArgumentException>(results[2].Exception);
        Assert.Equal([16, 25], results.Skip(3).Select(r => r.Value));
    }

    [Fact]
    public async Task CancellationReachesTheNodeCallsInFlightAndTheRunThrows()
    {
        using var cancellation = new CancellationTokenSource();
        var callStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken seen = default;
        var run = new BatchDagRun(2, cancellationToken: cancellation.Token);
        DagColumn<int> input = run.Input([1, 2]);
        DagColumn<int> hanging = run.Node("Hanging", 2, [input], async (chunk, ct) =>
        {
            seen = ct;
            callStarted.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return chunk.Of(input);
        });
        int downstreamCalls = 0;
        DagColumn<int> after = run.Node("After", 2, [hanging], (chunk, _) =>
        {
            Interlocked.Increment(ref downstreamCalls);
            return List(chunk.Of(hanging));
        });

        Task<IReadOnlyList<BatchItemResult<int>>> results = run.ResultsAsync([after], i => after[i]);
        await callStarted.Task.WithTimeout();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => results.WithTimeout());
        Assert.True(seen.IsCancellationRequested);
        Assert.Equal(0, downstreamCalls);
    }

    [Fact]
    public void BadArgumentsAreRefusedAtOnce()
    {
        var run = new BatchDagRun(3);
        Assert.Throws<ArgumentException>(() => run.Input([1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => run.Node<int>("N", 0, [], (_, _) => default));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchDagRun(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchDagRun(1, new BatchDagOptions { MaxParallelism = 0 }));
    }

    [Fact]
    public async Task AnEmptyRunReturnsNoResults()
    {
        var run = new BatchDagRun(0);
        DagColumn<int> input = run.Input(Array.Empty<int>());
        int calls = 0;
        DagColumn<int> node = run.Node("Node", 4, [input], (chunk, _) => { calls++; return List(chunk.Of(input)); });

        Assert.Empty(await run.ResultsAsync([node], i => node[i]).WithTimeout());
        Assert.Equal(0, calls);
    }

    [Fact]
    public void EveryArgumentIsCheckedAndNamed()
    {
        var run = new BatchDagRun(3);
        DagColumn<int> input = run.Input([1, 2, 3]);
        Func<DagChunk, CancellationToken, ValueTask<IReadOnlyList<int>>> call = (chunk, _) => List(chunk.Of(input));
        Func<int, CancellationToken, ValueTask<int>> itemCall = (i, _) => new(input[i]);

        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchDagRun(-1)).ParamName);
        ArgumentOutOfRangeException badOptions = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchDagRun(1, new BatchDagOptions { MaxParallelism = 0 }));
        Assert.Equal("options", badOptions.ParamName);
        Assert.StartsWith("MaxParallelism must be at least 1, but was 0.", badOptions.Message, StringComparison.Ordinal);
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => run.Input<int>(null!)).ParamName);
        ArgumentException shortInput = Assert.Throws<ArgumentException>(() => run.Input([1, 2]));
        Assert.Equal("values", shortInput.ParamName);
        Assert.StartsWith("An input of the run has 2 values, but the run has 3 inputs.", shortInput.Message, StringComparison.Ordinal);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => run.Node(null!, 1, [input], call)).ParamName);
        Assert.Equal("maxSize", Assert.Throws<ArgumentOutOfRangeException>(() => run.Node("N", 0, [input], call)).ParamName);
        Assert.Equal("dependsOn", Assert.Throws<ArgumentNullException>(() => run.Node("N", 1, null!, call)).ParamName);
        Assert.Equal("call", Assert.Throws<ArgumentNullException>(() => run.Node<int>("N", 1, [input], null!)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => run.ItemNode(null!, [input], itemCall)).ParamName);
        Assert.Equal("dependsOn", Assert.Throws<ArgumentNullException>(() => run.ItemNode("N", null!, itemCall)).ParamName);
        Assert.Equal("call", Assert.Throws<ArgumentNullException>(() => run.ItemNode<int>("N", [input], null!)).ParamName);
    }

    [Fact]
    public async Task ResultsAsyncChecksItsArgumentsByName()
    {
        var run = new BatchDagRun(1);
        DagColumn<int> input = run.Input([1]);

        Assert.Equal("outputs", (await Assert.ThrowsAsync<ArgumentNullException>(() => run.ResultsAsync<int>(null!, i => i))).ParamName);
        Assert.Equal("result", (await Assert.ThrowsAsync<ArgumentNullException>(() => run.ResultsAsync<int>([input], null!))).ParamName);
    }

    [Fact]
    public async Task AnInputFailedAtEitherOfTwoDependenciesNeverReachesTheirJoin()
    {
        var joined = new ConcurrentBag<int>();
        var run = new BatchDagRun(5);
        DagColumn<int> input = run.Input([0, 1, 2, 3, 4]);
        DagColumn<int> left = run.ItemNode("Left", [input], (i, _) => i == 1 ? throw new InvalidOperationException("left") : new ValueTask<int>(i));
        DagColumn<int> right = run.ItemNode("Right", [input], (i, _) => i == 3 ? throw new FormatException("right") : new ValueTask<int>(i * 10));
        DagColumn<int> join = run.Node("Join", 8, [left, right], (chunk, _) =>
        {
            for (int i = 0; i < chunk.Count; i++)
            {
                joined.Add(chunk[i]);
            }

            return List(chunk.Of(left).Zip(chunk.Of(right), (l, r) => l + r));
        });

        IReadOnlyList<BatchItemResult<int>> results = await run.ResultsAsync([join], i => join[i]).WithTimeout();

        Assert.Equal([0, 2, 4], joined.Order());
        Assert.Equal([0, 22, 44], new[] { 0, 2, 4 }.Select(i => results[i].Value));
        Assert.Equal("left", Assert.IsType<InvalidOperationException>(results[1].Exception).Message);
        Assert.Equal("right", Assert.IsType<FormatException>(results[3].Exception).Message);
    }

    [Fact]
    public async Task AnInputFailedAtSeveralOutputsReportsTheFirstOutputsFailure()
    {
        var run = new BatchDagRun(3);
        DagColumn<int> input = run.Input([0, 1, 2]);
        DagColumn<int> first = run.ItemNode("First", [input], (i, _) => i == 1 ? throw new InvalidOperationException("first") : new ValueTask<int>(i));
        DagColumn<int> second = run.ItemNode("Second", [input], (i, _) => i > 0 ? throw new FormatException("second") : new ValueTask<int>(i));

        IReadOnlyList<BatchItemResult<int>> results = await run.ResultsAsync([first, second], i => first[i] + second[i]).WithTimeout();

        Assert.Equal(0, results[0].Value);
        Assert.Equal("first", Assert.IsType<InvalidOperationException>(results[1].Exception).Message);
        Assert.Equal("second", Assert.IsType<FormatException>(results[2].Exception).Message);
    }

    [Fact]
    public async Task AFailedCallGivesBackItsUnitOfParallelism()
    {
        var run = new BatchDagRun(4, new BatchDagOptions { MaxParallelism = 1 });
        DagColumn<int> input = run.Input([0, 1, 2, 3]);
        DagColumn<int> node = run.Node("OneAtATime", 1, [input], (chunk, _) =>
            chunk.Of(input)[0] == 0 ? throw new InvalidOperationException("first call") : List(chunk.Of(input)));

        IReadOnlyList<BatchItemResult<int>> results = await run.ResultsAsync([node], i => node[i]).WithTimeout();

        Assert.IsType<InvalidOperationException>(results[0].Exception);
        Assert.Equal([1, 2, 3], results.Skip(1).Select(r => r.Value));
    }

    [Fact]
    public async Task AChunkNamesOnlyItsOwnInputsAndItsViewReadsTheColumn()
    {
        var chunks = new ConcurrentBag<(int[] Indices, int[] Values)>();
        var run = new BatchDagRun(5);
        DagColumn<int> input = run.Input([10, 11, 12, 13, 14]);
        DagColumn<int> node = run.Node("Node", 3, [input], (chunk, _) =>
        {
            IReadOnlyList<int> view = chunk.Of(input);
            int[] indices = [.. Enumerable.Range(0, chunk.Count).Select(position => chunk[position])];
            int[] byIndex = [.. Enumerable.Range(0, view.Count).Select(position => view[position])];
            Assert.Equal(byIndex, view.ToArray());
            Assert.Throws<ArgumentOutOfRangeException>(() => chunk[chunk.Count]);
            Assert.Throws<ArgumentOutOfRangeException>(() => chunk[-1]);
            Assert.Equal("column", Assert.Throws<ArgumentNullException>(() => chunk.Of<int>(null!)).ParamName);
            chunks.Add((indices, byIndex));
            return List(view);
        });

        await run.ResultsAsync([node], i => node[i]).WithTimeout();

        Assert.Equal([[0, 1, 2], [3, 4]], chunks.Select(c => c.Indices).OrderBy(c => c[0]));
        Assert.Equal([[10, 11, 12], [13, 14]], chunks.Select(c => c.Values).OrderBy(c => c[0]));
    }

    [Fact]
    public async Task ARunStartedOnASynchronizationContextNeverResumesOnIt()
    {
        var context = new RecordingSynchronizationContext();
        var firstNode = new TaskCompletionSource<IReadOnlyList<int>>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The graph is built and awaited where a UI thread would: the first node's column, the second node's dependency
        // and the results are all pending when their awaits run.
        Task<IReadOnlyList<BatchItemResult<int>>> results = context.Run(() =>
        {
            var run = new BatchDagRun(2);
            DagColumn<int> input = run.Input([1, 2]);
            DagColumn<int> first = run.Node("First", 2, [input], (_, _) => new ValueTask<IReadOnlyList<int>>(firstNode.Task));
            DagColumn<int> second = run.Node("Second", 2, [first], (chunk, _) => List(chunk.Of(first).Select(x => x + 1)));
            return run.ResultsAsync([second], i => second[i]);
        });
        firstNode.SetResult([10, 20]);

        Assert.Equal([11, 21], (await results.WithTimeout()).Select(r => r.Value));
        Assert.Equal(0, context.Posts);
    }

    private static ValueTask<IReadOnlyList<T>> Record<T>(ConcurrentDictionary<string, ConcurrentBag<int>> calls, string node, DagChunk chunk, IEnumerable<T> values)
    {
        calls.GetOrAdd(node, _ => []).Add(chunk.Count);
        return List(values);
    }

    private static ValueTask<IReadOnlyList<T>> List<T>(IEnumerable<T> values) => new([.. values]);

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }
}
