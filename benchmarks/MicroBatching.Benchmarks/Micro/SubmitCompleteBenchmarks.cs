using BenchmarkDotNet.Attributes;
using MicroBatching.Benchmarks.Contenders;

namespace MicroBatching.Benchmarks.Micro;

/// <summary>
/// The cost per item of submitting a call and receiving its result: each operation submits 1,024 items (32 full batches
/// of 32) and awaits them all. Allocations are per item, since BenchmarkDotNet divides by the operations per invoke.
/// </summary>
[MemoryDiagnoser]
public class SubmitCompleteBenchmarks
{
    private const int Items = 1024;

    private readonly ValueTask<int>[] _pending = new ValueTask<int>[Items];
    private IBatchingContender _contender = null!;

    [Params(
        Contenders.Contender.MicroBatcher, Contenders.Contender.MicroBatcherTask, Contenders.Contender.MicroBatcherCostBound, Contenders.Contender.Generated,
        Contenders.Contender.Channels, Contenders.Contender.Dataflow, Contenders.Contender.Rx, Contenders.Contender.Direct)]
    public string Name { get; set; } = "";

    [GlobalSetup]
    public void Setup() =>
        _contender = Contenders.Contender.Create(Name, new BatchWorkload(maxBatchSize: 32, maxWait: TimeSpan.FromMilliseconds(10)));

    [GlobalCleanup]
    public void Cleanup() => _contender.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Items)]
    public async Task<long> SubmitAndComplete()
    {
        for (int i = 0; i < Items; i++)
        {
            _pending[i] = _contender.ProcessAsync(i);
        }

        long sum = 0;
        for (int i = 0; i < Items; i++)
        {
            sum += await _pending[i];
        }

        return sum;
    }
}
