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
        Assert.Contains("Lossy", mismatch.Message);
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
