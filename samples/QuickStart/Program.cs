// A remote API that accepts lists: every call costs a 2 ms round trip, plus 20 µs per item.
// 2,000 concurrent requests go through a MicroBatcher, once with batching and once without.
using System.Diagnostics;
using MicroBatching;

const int Requests = 2_000;
var api = new PriceApi();

foreach (bool batching in new[] { false, true })
{
    api.Reset();
    await using var batcher = new MicroBatcher<int, decimal>(
        api.GetPricesAsync,
        new MicroBatchOptions
        {
            Enabled = batching,
            MaxBatchSize = 64,
            MaxWaitTime = TimeSpan.FromMilliseconds(5),
            MaxConcurrentBatches = 4,
            Name = "prices",
        });

    var stopwatch = Stopwatch.StartNew();
    decimal[] prices = await Task.WhenAll(Enumerable.Range(0, Requests).Select(id => batcher.ProcessAsync(id).AsTask()));
    stopwatch.Stop();

    // Every caller got the price of its own product.
    for (int id = 0; id < Requests; id++)
    {
        if (prices[id] != PriceApi.PriceOf(id))
        {
            throw new InvalidOperationException($"Product {id} got the wrong price.");
        }
    }

    MicroBatcherStatistics statistics = batcher.GetStatistics();
    Console.WriteLine(
        $"{(batching ? "batched  " : "unbatched")}: {Requests} requests in {stopwatch.Elapsed.TotalMilliseconds,7:F0} ms, " +
        $"{api.Calls,5} API calls, {statistics.AverageBatchSize,5:F1} items per call");
}

internal sealed class PriceApi
{
    private int _calls;

    public int Calls => _calls;

    public static decimal PriceOf(int productId) => 10m + productId % 97;

    public void Reset() => _calls = 0;

    public async ValueTask<IReadOnlyList<decimal>> GetPricesAsync(IReadOnlyList<int> productIds, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        await Task.Delay(TimeSpan.FromMilliseconds(2) + TimeSpan.FromMicroseconds(20 * productIds.Count), cancellationToken);
        return productIds.Select(PriceOf).ToArray();
    }
}
