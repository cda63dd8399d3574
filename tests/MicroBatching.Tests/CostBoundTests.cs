using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>
/// Batches bounded by the total cost of their items (<see cref="MicroBatchOptions.MaxBatchCost"/>), as text models are
/// bounded by tokens rather than by texts. The rule: docs/semantics.md, rule 13.
/// </summary>
public sealed class CostBoundTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingBatchFunction<string, int> _function = new(text => text.Length);

    [Fact]
    public async Task ABatchLeavesAsSoonAsTheNextItemWouldNotFit()
    {
        await using MicroBatcher<string, int> batcher = Batcher(maxBatchCost: 8);

        ValueTask<int> first = batcher.ProcessAsync("aaa");
        ValueTask<int> second = batcher.ProcessAsync("bbb");
        Assert.Equal(0, batcher.GetStatistics().BatchesDispatched);

        // 3 + 3 + 3 > 8: the third item seals the batch of two, without waiting for the timer, and opens the next.
        ValueTask<int> third = batcher.ProcessAsync("ccc");
        Assert.Equal(new[] { 3, 3 }, await Task.WhenAll(first.WithTimeout(), second.WithTimeout()));
        Assert.Equal(["aaa", "bbb"], Assert.Single(_function.Calls));
        Assert.False(third.IsCompleted);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, await third.WithTimeout());
        Assert.Equal(["ccc"], _function.Calls.Last());
    }

    [Fact]
    public async Task ABatchWhoseCostReachesTheBoundLeavesAtOnce()
    {
        await using MicroBatcher<string, int> batcher = Batcher(maxBatchCost: 8);

        ValueTask<int>[] calls = [batcher.ProcessAsync("aaaa"), batcher.ProcessAsync("bbbb")];

        Assert.Equal(new[] { 4, 4 }, await Task.WhenAll(calls.Select(c => c.WithTimeout())));
        Assert.Equal(["aaaa", "bbbb"], Assert.Single(_function.Calls));
    }

    [Fact]
    public async Task AnItemCostlierThanTheBoundRunsAlone()
    {
        await using MicroBatcher<string, int> batcher = Batcher(maxBatchCost: 8);

        ValueTask<int> small = batcher.ProcessAsync("a");
        ValueTask<int> large = batcher.ProcessAsync(new string('x', 20));
        ValueTask<int> after = batcher.ProcessAsync("b");

        Assert.Equal(1, await small.WithTimeout());
        Assert.Equal(20, await large.WithTimeout());
        Assert.False(after.IsCompleted);
        Assert.Equal([["a"], [new string('x', 20)]], _function.Calls.ToArray());

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await after.WithTimeout());
    }

    [Fact]
    public async Task TheCountBoundStillHolds()
    {
        await using MicroBatcher<string, int> batcher = Batcher(maxBatchCost: 1_000, maxBatchSize: 2);

        ValueTask<int>[] calls = [batcher.ProcessAsync("a"), batcher.ProcessAsync("b"), batcher.ProcessAsync("c")];

        Assert.Equal(new[] { 1, 1 }, await Task.WhenAll(calls.Take(2).Select(c => c.WithTimeout())));
        Assert.Equal(["a", "b"], Assert.Single(_function.Calls));
        Assert.False(calls[2].IsCompleted);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await calls[2].WithTimeout());
    }

    [Fact]
    public async Task ItemsThatCostNothingStillBatch()
    {
        await using MicroBatcher<string, int> batcher = Batcher(maxBatchCost: 4, maxBatchSize: 3);

        ValueTask<int>[] calls = [batcher.ProcessAsync(""), batcher.ProcessAsync(""), batcher.ProcessAsync("")];

        Assert.Equal(new[] { 0, 0, 0 }, await Task.WhenAll(calls.Select(c => c.WithTimeout())));
        Assert.Equal(["", "", ""], Assert.Single(_function.Calls));
    }

    [Fact]
    public async Task ACostFunctionThatThrowsFailsOnlyThatCallerAndBatchingGoesOn()
    {
        var failure = new FormatException("cannot tokenize");
        await using var batcher = new MicroBatcher<string, int>(
            _function.Invoke,
            Options(maxBatchCost: 8, itemCost: (string text) => text == "bad" ? throw failure : text.Length),
            _time);

        ValueTask<int> before = batcher.ProcessAsync("aa");
        ValueTask<int> bad = batcher.ProcessAsync("bad");
        ValueTask<int> after = batcher.ProcessAsync("bb");

        Assert.Same(failure, await Assert.ThrowsAsync<FormatException>(() => bad.WithTimeout()));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(new[] { 2, 2 }, await Task.WhenAll(before.WithTimeout(), after.WithTimeout()));
        Assert.Equal(["aa", "bb"], Assert.Single(_function.Calls));
    }

    [Fact]
    public async Task ANegativeCostFailsOnlyThatCallerWithTheBatchersName()
    {
        await using var batcher = new MicroBatcher<string, int>(
            _function.Invoke, Options(maxBatchCost: 8, itemCost: (string text) => text == "neg" ? -3 : text.Length, name: "Tokens"), _time);

        ValueTask<int> ok = batcher.ProcessAsync("ok");
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.ProcessAsync("neg").WithTimeout());

        Assert.Contains("'Tokens'", error.Message);
        Assert.Contains("-3", error.Message);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, await ok.WithTimeout());
    }

    [Fact]
    public async Task ABoundWithoutACostFunctionIsRejected()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new MicroBatcher<string, int>(
            _function.Invoke, new MicroBatchOptions { MaxBatchCost = 8, Name = "Tokens" }, _time));

        Assert.Contains("ItemCost", error.Message);
        Assert.Contains("'Tokens'", error.Message);
        await Task.CompletedTask;
    }

    [Fact]
    public void ANegativeBoundIsRejected()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new MicroBatcher<string, int>(
            _function.Invoke, Options(maxBatchCost: -1, itemCost: (string text) => text.Length), _time));

        Assert.Contains("MaxBatchCost", error.Message);
    }

    [Fact]
    public void ACostFunctionOverAnotherItemTypeIsRejectedWithBothTypes()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new MicroBatcher<string, int>(
            _function.Invoke, Options(maxBatchCost: 8, itemCost: (int number) => number), _time));

        Assert.Contains("Func<String, int>", error.Message);
        Assert.Contains("Func`2", error.Message);
    }

    [Fact]
    public async Task ACostFunctionOverABaseTypeIsAccepted()
    {
        await using var batcher = new MicroBatcher<string, int>(
            _function.Invoke, Options(maxBatchCost: 2, itemCost: (object item) => 1), _time);

        ValueTask<int>[] calls = [batcher.ProcessAsync("a"), batcher.ProcessAsync("bb")];

        Assert.Equal(new[] { 1, 2 }, await Task.WhenAll(calls.Select(c => c.WithTimeout())));
        Assert.Single(_function.Calls);
    }

    [Fact]
    public async Task WithBatchingOffTheCostFunctionIsNotCalled()
    {
        int measured = 0;
        await using var batcher = new MicroBatcher<string, int>(
            _function.Invoke, Options(maxBatchCost: 2, itemCost: (string text) => ++measured, enabled: false), _time);

        Assert.Equal(3, await batcher.ProcessAsync("abc").WithTimeout());
        Assert.Equal(0, measured);
    }

    [Fact]
    public async Task AKeyedBatcherMeasuresItsKeys()
    {
        await using var batcher = new KeyedMicroBatcher<string, int>(
            (keys, _) => ValueTask.FromResult<IReadOnlyDictionary<string, int>>(keys.ToDictionary(k => k, k => k.Length)),
            Options(maxBatchCost: 4, itemCost: (string key) => key.Length), _time);

        ValueTask<int>[] calls = [batcher.ProcessAsync("aa"), batcher.ProcessAsync("bb")];

        Assert.Equal(new[] { 2, 2 }, await Task.WhenAll(calls.Select(c => c.WithTimeout())));
        Assert.Equal(1, batcher.GetStatistics().BatchesDispatched);
    }

    [Fact]
    public async Task ConcurrentCallersNeverOverfillABatch()
    {
        const int MaxBatchCost = 50;
        var batches = new System.Collections.Concurrent.ConcurrentQueue<string[]>();
        await using var batcher = new MicroBatcher<string, int>(
            (items, _) =>
            {
                batches.Enqueue([.. items]);
                return ValueTask.FromResult<IReadOnlyList<int>>(items.Select(i => i.Length).ToArray());
            },
            new MicroBatchOptions { MaxBatchSize = 64, MaxWaitTime = TimeSpan.Zero, MaxConcurrentBatches = 2, MaxBatchCost = MaxBatchCost, ItemCost = (string text) => text.Length });

        // Lengths from 0 to 60: some items cost more than the bound on their own.
        Task<int>[] calls = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            return Enumerable.Range(0, 500).Select(_ => batcher.ProcessAsync(new string('x', random.Next(61))).AsTask()).ToArray();
        }))).ContinueWith(t => t.Result.SelectMany(c => c).ToArray(), TaskScheduler.Default);
        await Task.WhenAll(calls).WithTimeout();

        Assert.Equal(8 * 500, batches.Sum(b => b.Length));
        // Over the bound only when one costly item runs alone (items that cost nothing may share its batch).
        Assert.All(batches, batch => Assert.True(batch.Count(i => i.Length > 0) == 1 || batch.Sum(i => i.Length) <= MaxBatchCost,
            $"A batch of {batch.Length} items costing {batch.Sum(i => i.Length)} exceeds {MaxBatchCost}."));
    }

    private MicroBatcher<string, int> Batcher(int maxBatchCost, int maxBatchSize = 100) =>
        new(_function.Invoke, Options(maxBatchCost, (string text) => text.Length, maxBatchSize: maxBatchSize), _time);

    private static MicroBatchOptions Options(
        int maxBatchCost, Delegate itemCost, int maxBatchSize = 100, string? name = null, bool enabled = true) => new()
    {
        MaxBatchSize = maxBatchSize,
        MaxWaitTime = TimeSpan.FromHours(1),
        MaxBatchCost = maxBatchCost,
        ItemCost = itemCost,
        Name = name,
        Enabled = enabled,
    };

    [Fact]
    public async Task ALoneItemThatFillsTheBoundLeavesWithoutArmingTheTimer()
    {
        var clock = new CountingTimeProvider();
        await using var batcher = new MicroBatcher<string, int>(_function.Invoke, Options(4, (string text) => text.Length), clock);

        Assert.Equal(4, await batcher.ProcessAsync("aaaa").WithTimeout());
        Assert.Equal(0, clock.TimerChanges);
    }

    [Fact]
    public async Task BatchesSealedByCostCountAsPendingWhileTheyWaitForASlot()
    {
        var function = new ControlledBatchFunction<string, int>();
        MicroBatchOptions options = Options(4, (string text) => text.Length);
        options.MaxConcurrentBatches = 1;
        await using var batcher = new MicroBatcher<string, int>(function.Invoke, options, _time);

        ValueTask<int> running = batcher.ProcessAsync("aaaa");
        BatchCall<string, int> first = await function.NextCallAsync();

        // Full by cost on its own; then one sealed because the next item does not fit; then that item, still open.
        ValueTask<int>[] waiting = [batcher.ProcessAsync("bbbb"), batcher.ProcessAsync("cc"), batcher.ProcessAsync("ccc")];
        Assert.Equal(3, batcher.GetStatistics().PendingItems);

        first.Complete(text => text.Length);
        (await function.NextCallAsync()).Complete(text => text.Length);
        (await function.NextCallAsync()).Complete(text => text.Length);
        _time.Advance(TimeSpan.FromHours(1));
        (await function.NextCallAsync()).Complete(text => text.Length);
        int[] results = await Task.WhenAll(waiting.Prepend(running).Select(call => call.WithTimeout()));
        Assert.Equal([4, 4, 2, 3], results);
        Assert.Equal(0, batcher.GetStatistics().PendingItems);
    }
}
