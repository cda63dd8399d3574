using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MicroBatching.Hosting.Tests;

public sealed class DrainTests
{
    [Fact]
    public async Task StoppingTheHostRunsEveryAcceptedItemWithoutWaitingForTimers()
    {
        await using TestHost host = TestHost.Build("{}");
        await host.StartAsync();
        var function = new RecordingBatchFunction();
        MicroBatcher<int, int> batcher = host.Registry.Create<int, int>(function.Invoke,
            new MicroBatchOptions { Name = "orders", MaxBatchSize = 4, MaxWaitTime = TimeSpan.FromHours(1) });
        Task<int>[] calls = [.. Enumerable.Range(1, 6).Select(i => batcher.ProcessAsync(i).AsTask())];

        await host.StopAsync().WithTimeout();

        Assert.All(calls, call => Assert.True(call.IsCompletedSuccessfully));
        Assert.Equal([10, 20, 30, 40, 50, 60], calls.Select(call => call.Result));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.ProcessAsync(7).WithTimeout());
        Assert.Contains(Logs(host), log => log.Id.Id == 102 && log.Message.Contains("Drained 1 micro-batcher(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShutdownTimeoutStopsWaitingReportsWhatIsLeftAndLosesNothing()
    {
        await using TestHost host = TestHost.Build("{}", services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200)));
        await host.StartAsync();
        var function = new RecordingBatchFunction(held: true);
        MicroBatcher<int, int> batcher = host.Registry.Create<int, int>(function.Invoke,
            new MicroBatchOptions { Name = "slow-api", MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) });
        Task<int>[] calls = [.. Enumerable.Range(1, 3).Select(i => batcher.ProcessAsync(i).AsTask())];

        await host.StopAsync().WithTimeout();

        FakeLogRecord warning = Assert.Single(Logs(host), log => log.Level == LogLevel.Warning);
        Assert.Equal(103, warning.Id.Id);
        Assert.Contains("slow-api", warning.Message, StringComparison.Ordinal);

        // The first two items are inside the held call, the third waits for the lane: the message says both, truthfully.
        Assert.Contains("1 items still queued, and 2 items in 1 calls of batch functions still running", warning.Message, StringComparison.Ordinal);
        Assert.Contains("slow-api (1 queued, 2 in 1 running)", warning.Message, StringComparison.Ordinal);

        // The drain goes on after the host stops waiting: releasing the batch function completes every caller.
        function.Release();
        int[] results = await Task.WhenAll(calls).WithTimeout();
        Assert.Equal([10, 20, 30], results);
    }

    [Fact]
    public async Task StopWithNoBatchersLogsNothing()
    {
        await using TestHost host = TestHost.Build("{}");
        await host.StartAsync();

        await host.StopAsync();

        Assert.DoesNotContain(Logs(host), log => log.Category == "MicroBatching.Hosting");
    }

    private static IReadOnlyList<FakeLogRecord> Logs(TestHost host) =>
        host.Services.GetFakeLogCollector().GetSnapshot().Where(log => log.Category == "MicroBatching.Hosting").ToList();
}
