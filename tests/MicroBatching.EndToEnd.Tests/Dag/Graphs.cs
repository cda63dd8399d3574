using System.Collections.Concurrent;

namespace MicroBatching.EndToEnd.Tests.Dag;

/// <summary>Records every node call: which node, with how many items, and when it started and ended.</summary>
public sealed class NodeLog
{
    private readonly ConcurrentQueue<(string Node, int Count, long Start, long End)> _calls = new();

    public IReadOnlyList<(string Node, int Count, long Start, long End)> Calls => [.. _calls];

    public int CallsOf(string node) => _calls.Count(c => c.Node == node);

    public IReadOnlyList<int> SizesOf(string node) => [.. _calls.Where(c => c.Node == node).Select(c => c.Count).Order()];

    public T Record<T>(string node, int count, Func<T> body)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return body();
        }
        finally
        {
            _calls.Enqueue((node, count, start, System.Diagnostics.Stopwatch.GetTimestamp()));
        }
    }
}

public sealed record Verdict(bool Spam, int Length, string Text);

/// <summary>The issue's example: a chain into a diamond, with an input used twice and one output.</summary>
[BatchDag(MaxParallelism = 4)]
public sealed partial class ReviewPipeline
{
    public NodeLog Log { get; } = new();

    [DagNode(MaxSize = 4, MaxWaitMs = 60_000)]
    private Task<IReadOnlyList<string>> Clean(IReadOnlyList<string> review, CancellationToken ct) =>
        Task.FromResult(Log.Record<IReadOnlyList<string>>(nameof(Clean), review.Count, () => [.. review.Select(r => r.Trim().ToLowerInvariant())]));

    [DagNode(MaxSize = 4, MaxWaitMs = 60_000)]
    private async Task<IReadOnlyList<float[]>> Embed(IReadOnlyList<string> clean, CancellationToken ct)
    {
        await Task.Yield();
        return Log.Record<IReadOnlyList<float[]>>(nameof(Embed), clean.Count, () => [.. clean.Select(c => new float[] { c.Length, c.Count(ch => ch == '!') })]);
    }

    [DagNode(MaxSize = 4, MaxWaitMs = 60_000)]
    private IReadOnlyList<bool> IsSpam(IReadOnlyList<float[]> embed) =>
        Log.Record<IReadOnlyList<bool>>(nameof(IsSpam), embed.Count, () => [.. embed.Select(e => e[1] >= 3)]);

    [DagNode(MaxSize = 4, MaxWaitMs = 60_000, Output = true)]
    private IReadOnlyList<Verdict> Decide(IReadOnlyList<float[]> embed, IReadOnlyList<bool> isSpam, IReadOnlyList<string> review) =>
        Log.Record<IReadOnlyList<Verdict>>(nameof(Decide), embed.Count, () => [.. embed.Select((e, i) => new Verdict(isSpam[i], (int)e[0], review[i]))]);
}

/// <summary>A diamond A → B, C → D whose middle nodes wait for each other, so they must overlap.</summary>
[BatchDag]
public sealed partial class Diamond
{
    private readonly Barrier _middle = new(2);

    public NodeLog Log { get; } = new();

    [DagNode(MaxSize = 8)]
    private int[] A(int[] x) => Log.Record(nameof(A), x.Length, () => x.Select(v => v + 1).ToArray());

    [DagNode(MaxSize = 8)]
    private List<int> B(IReadOnlyList<int> a) => Log.Record(nameof(B), a.Count, () =>
    {
        Assert.True(_middle.SignalAndWait(TimeSpan.FromSeconds(30)), "C never ran while B did.");
        return a.Select(v => v * 2).ToList();
    });

    [DagNode(MaxSize = 8)]
    private ValueTask<IReadOnlyList<int>> C(IEnumerable<int> a) => new(Log.Record<IReadOnlyList<int>>(nameof(C), a.Count(), () =>
    {
        Assert.True(_middle.SignalAndWait(TimeSpan.FromSeconds(30)), "B never ran while C did.");
        return [.. a.Select(v => v * 3)];
    }));

    [DagNode(MaxSize = 8, Output = true)]
    private IReadOnlyList<int> D(IReadOnlyList<int> b, IReadOnlyList<int> c) => Log.Record<IReadOnlyList<int>>(nameof(D), b.Count, () => [.. b.Zip(c, (x, y) => x + y)]);
}

/// <summary>Two inputs, two outputs, a single-item node, a node that fails on some inputs, and a static node.</summary>
[BatchDag(MaxParallelism = 2, StreamWindow = 64)]
public sealed partial class Pricing
{
    public NodeLog Log { get; } = new();

    [DagNode(MaxSize = 4, MaxWaitMs = 60_000)]
    private IReadOnlyList<decimal> Base(IReadOnlyList<string> sku) => Log.Record<IReadOnlyList<decimal>>(nameof(Base), sku.Count, () =>
        sku.Any(s => s.StartsWith("bad", StringComparison.Ordinal))
            ? throw new InvalidOperationException($"no price for {string.Join(",", sku)}")
            : [.. sku.Select(s => (decimal)s.Length)]);

    [DagNode]
    private async Task<decimal> Discount(int quantity, CancellationToken ct)
    {
        await Task.Yield();
        return Log.Record(nameof(Discount), 1, () => quantity >= 10 ? 0.1m : 0m);
    }

    [DagNode(MaxSize = 4, MaxWaitMs = 60_000, Output = true)]
    private static IReadOnlyList<decimal> Total(IReadOnlyList<decimal> @base, IReadOnlyList<decimal> discount, IReadOnlyList<int> quantity) =>
        [.. @base.Select((b, i) => b * quantity[i] * (1 - discount[i]))];

    [DagNode(MaxSize = 4, MaxWaitMs = 60_000, Output = true)]
    private IReadOnlyList<string> Label(IReadOnlyList<string> sku, IReadOnlyList<decimal> total) =>
        Log.Record<IReadOnlyList<string>>(nameof(Label), sku.Count, () => [.. sku.Select((s, i) => $"{s}: {total[i]:0.00}")]);
}

/// <summary>A node that waits on its token, to test that cancellation reaches node calls in flight.</summary>
[BatchDag]
public sealed partial class Hanging
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [DagNode(Output = true)]
    private async Task<IReadOnlyList<int>> Wait(IReadOnlyList<int> x, CancellationToken ct)
    {
        Started.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
        return x;
    }
}

/// <summary>A diamond with trivial bodies and large chunks, for a million inputs through the stream.</summary>
[BatchDag(StreamWindow = 4096)]
public sealed partial class Checksum
{
    [DagNode(MaxSize = 1024)]
    private static IReadOnlyList<long> Square(IReadOnlyList<int> value) => [.. value.Select(v => (long)v * v)];

    [DagNode(MaxSize = 1024)]
    private static IReadOnlyList<long> Half(IReadOnlyList<long> square) => [.. square.Select(s => s / 2)];

    [DagNode(MaxSize = 1024)]
    private static IReadOnlyList<long> Third(IReadOnlyList<long> square) => [.. square.Select(s => s / 3)];

    [DagNode(MaxSize = 1024, Output = true)]
    private static IReadOnlyList<long> Sum(IReadOnlyList<long> half, IReadOnlyList<long> third) => [.. half.Zip(third, (h, t) => h + t)];
}

/// <summary>
/// A fork whose branches record how many node calls run at once, for MaxParallelism on the online path. With
/// <see cref="MeetBothBranches"/>, each branch's call waits until the other's has started too.
/// </summary>
[BatchDag(MaxParallelism = 1)]
public sealed partial class Fork
{
    private readonly Barrier _branches = new(2);
    private int _running;
    private int _maxRunning;

    public bool MeetBothBranches { get; init; }

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    [DagNode(MaxWaitMs = 0)]
    private Task<IReadOnlyList<int>> Left(IReadOnlyList<int> value) => ProbeAsync(value, v => v + 1);

    [DagNode(MaxWaitMs = 0)]
    private Task<IReadOnlyList<int>> Right(IReadOnlyList<int> value) => ProbeAsync(value, v => v * 2);

    [DagNode(MaxWaitMs = 0, Output = true)]
    private IReadOnlyList<int> Sum(IReadOnlyList<int> left, IReadOnlyList<int> right) => [.. left.Zip(right, (l, r) => l + r)];

    private async Task<IReadOnlyList<int>> ProbeAsync(IReadOnlyList<int> values, Func<int, int> map)
    {
        int running = Interlocked.Increment(ref _running);
        for (int seen = Volatile.Read(ref _maxRunning); running > seen; seen = Volatile.Read(ref _maxRunning))
        {
            Interlocked.CompareExchange(ref _maxRunning, running, seen);
        }

        try
        {
            if (MeetBothBranches)
            {
                await Task.Run(() => Assert.True(_branches.SignalAndWait(TimeSpan.FromSeconds(30)), "The other branch never ran at the same time."));
            }
            else
            {
                await Task.Delay(20);
            }

            return [.. values.Select(map)];
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
