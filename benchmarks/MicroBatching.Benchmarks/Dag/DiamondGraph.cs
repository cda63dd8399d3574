using System.Diagnostics;

namespace MicroBatching.Benchmarks.Dag;

/// <summary>The cost of one node call: a fixed part and a part per item, spent as busy work (as in S4); zero for trivial nodes.</summary>
public sealed class NodeCost(TimeSpan perCall, TimeSpan perItem)
{
    private readonly long _perCallTicks = (long)(perCall.TotalSeconds * Stopwatch.Frequency);
    private readonly long _perItemTicks = (long)(perItem.TotalSeconds * Stopwatch.Frequency);
    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    public void Spend(int items)
    {
        Interlocked.Increment(ref _calls);
        long cost = _perCallTicks + (_perItemTicks * items);
        if (cost > 0)
        {
            long end = Stopwatch.GetTimestamp() + cost;
            while (Stopwatch.GetTimestamp() < end)
            {
                Thread.SpinWait(8);
            }
        }
    }
}

/// <summary>A four-node diamond, A → B, C → D, as the generator sees it; the hand-written peer computes the same.</summary>
[BatchDag(MaxParallelism = DagBenchmark.Parallelism)]
public sealed partial class DiamondGraph(NodeCost cost)
{
    public const int MaxSize = 1024;

    public static long ExpectedD(int x) => ((x + 1) * 2L) + ((x + 1) * 3L);

    [DagNode(MaxSize = MaxSize)]
    private IReadOnlyList<int> A(IReadOnlyList<int> x)
    {
        cost.Spend(x.Count);
        return StepA(x);
    }

    [DagNode(MaxSize = MaxSize)]
    private IReadOnlyList<long> B(IReadOnlyList<int> a)
    {
        cost.Spend(a.Count);
        return StepB(a);
    }

    [DagNode(MaxSize = MaxSize)]
    private IReadOnlyList<long> C(IReadOnlyList<int> a)
    {
        cost.Spend(a.Count);
        return StepC(a);
    }

    [DagNode(MaxSize = MaxSize, Output = true)]
    private IReadOnlyList<long> D(IReadOnlyList<long> b, IReadOnlyList<long> c)
    {
        cost.Spend(b.Count);
        return StepD(b, c);
    }

    internal static int[] StepA(IReadOnlyList<int> x)
    {
        var result = new int[x.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = x[i] + 1;
        }

        return result;
    }

    internal static long[] StepB(IReadOnlyList<int> a)
    {
        var result = new long[a.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = a[i] * 2L;
        }

        return result;
    }

    internal static long[] StepC(IReadOnlyList<int> a)
    {
        var result = new long[a.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = a[i] * 3L;
        }

        return result;
    }

    internal static long[] StepD(IReadOnlyList<long> b, IReadOnlyList<long> c)
    {
        var result = new long[b.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = b[i] + c[i];
        }

        return result;
    }
}

/// <summary>The same diamond written by hand on four micro-batchers, each input flowing through them on its own.</summary>
public sealed class HandWrittenDiamond : IAsyncDisposable
{
    private readonly MicroBatcher<int, int> _a;
    private readonly MicroBatcher<int, long> _b;
    private readonly MicroBatcher<int, long> _c;
    private readonly MicroBatcher<(long B, long C), long> _d;

    public HandWrittenDiamond(NodeCost cost)
    {
        var options = new MicroBatchOptions
        {
            MaxBatchSize = DiamondGraph.MaxSize,
            MaxWaitTime = TimeSpan.FromMilliseconds(1),
            MaxConcurrentBatches = DagBenchmark.Parallelism,
        };
        _a = new((x, _) => { cost.Spend(x.Count); return new(DiamondGraph.StepA(x)); }, options);
        _b = new((a, _) => { cost.Spend(a.Count); return new(DiamondGraph.StepB(a)); }, options);
        _c = new((a, _) => { cost.Spend(a.Count); return new(DiamondGraph.StepC(a)); }, options);
        _d = new((bc, _) =>
        {
            cost.Spend(bc.Count);
            long[] b = new long[bc.Count], c = new long[bc.Count];
            for (int i = 0; i < bc.Count; i++)
            {
                (b[i], c[i]) = bc[i];
            }

            return new(DiamondGraph.StepD(b, c));
        }, options);
    }

    public async Task<long> RunAsync(int x)
    {
        int a = await _a.ProcessAsync(x).ConfigureAwait(false);
        ValueTask<long> b = _b.ProcessAsync(a);
        ValueTask<long> c = _c.ProcessAsync(a);
        return await _d.ProcessAsync((await b.ConfigureAwait(false), await c.ConfigureAwait(false))).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _c.DisposeAsync();
        await _d.DisposeAsync();
    }
}
