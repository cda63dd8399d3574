namespace MicroBatching.Tests;

/// <summary>
/// Batch functions that return <see cref="Task{TResult}"/>, as most APIs do, are accepted as written; an async lambda,
/// which fits both shapes, still binds (to the ValueTask overload).
/// </summary>
public sealed class TaskFunctionTests
{
    private sealed class PriceApi
    {
        public int Calls;

        public Task<IReadOnlyList<decimal>> GetPricesAsync(IReadOnlyList<int> ids, CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult<IReadOnlyList<decimal>>([.. ids.Select(id => 10m + id)]);
        }

        public Task<IReadOnlyDictionary<int, decimal>> FindPricesAsync(IReadOnlyList<int> ids, CancellationToken ct) =>
            Task.FromResult<IReadOnlyDictionary<int, decimal>>(ids.ToDictionary(id => id, id => 10m + id));
    }

    [Fact]
    public async Task TheReadmesExampleCompilesAgainstATaskReturningApi()
    {
        var priceApi = new PriceApi();
        int productId = 7;

        await using var batcher = new MicroBatcher<int, decimal>(
            (ids, ct) => priceApi.GetPricesAsync(ids, ct),          // one call for many ids
            new MicroBatchOptions { MaxBatchSize = 64, MaxWaitTime = TimeSpan.FromMilliseconds(5), Name = "prices" });

        decimal price = await batcher.ProcessAsync(productId).WithTimeout();
        Assert.Equal(17m, price);
        Assert.Equal(1, priceApi.Calls);
    }

    [Fact]
    public async Task MethodGroupsAndAsyncLambdasBindForEveryFactory()
    {
        var priceApi = new PriceApi();
        var options = new MicroBatchOptions { MaxBatchSize = 1 };
        await using var fromMethodGroup = new MicroBatcher<int, decimal>(priceApi.GetPricesAsync, options);
        await using var fromAsyncLambda = new MicroBatcher<int, decimal>(async (ids, ct) => await priceApi.GetPricesAsync(ids, ct), options);
        await using var keyed = new KeyedMicroBatcher<int, decimal>(priceApi.FindPricesAsync, options);
        var registry = new MicroBatcherRegistry();
        await using MicroBatcher<int, decimal> created = registry.Create<int, decimal>(priceApi.GetPricesAsync, options);
        await using KeyedMicroBatcher<int, decimal> createdKeyed = registry.CreateKeyed<int, decimal>(priceApi.FindPricesAsync, options);

        Assert.Equal(11m, await fromMethodGroup.ProcessAsync(1).WithTimeout());
        Assert.Equal(12m, await fromAsyncLambda.ProcessAsync(2).WithTimeout());
        Assert.Equal(13m, await keyed.ProcessAsync(3).WithTimeout());
        Assert.Equal(14m, await created.ProcessAsync(4).WithTimeout());
        Assert.Equal(15m, await createdKeyed.ProcessAsync(5).WithTimeout());
    }

    [Fact]
    public void ANullTaskFunctionIsRefusedAtOnce()
    {
        Assert.Throws<ArgumentNullException>(() => new MicroBatcher<int, int>((Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<int>>>)null!));
        Assert.Throws<ArgumentNullException>(() => new KeyedMicroBatcher<int, int>((Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyDictionary<int, int>>>)null!));
    }
}
