using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MicroBatching.Hosting;

/// <summary>
/// Points the host's registry at the application's logging, clock and live configuration before any hosted service starts,
/// attaches the singleton services with generated batchers to it, and drains every batcher it created when the host
/// stops, within the host's shutdown timeout.
/// </summary>
internal sealed class MicroBatchingHostedService : IHostedLifecycleService
{
    private readonly MicroBatcherRegistry _registry;
    private readonly IServiceProvider _services;
    private readonly BatchedSingletons _batchedSingletons;
    private readonly LiveSettings _liveSettings;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly TimeProvider? _timeProvider;
    private readonly ILogger _logger;

    public MicroBatchingHostedService(
        MicroBatcherRegistry registry,
        IServiceProvider services,
        BatchedSingletons batchedSingletons,
        LiveSettings liveSettings,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null)
    {
        _registry = registry;
        _services = services;
        _batchedSingletons = batchedSingletons;
        _liveSettings = liveSettings;
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
        _logger = (ILogger?)loggerFactory?.CreateLogger("MicroBatching.Hosting") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _registry.LoggerFactory ??= _loggerFactory;
        _registry.TimeProvider ??= _timeProvider;
        _liveSettings.Attach();
        _batchedSingletons.AttachAll(_services, _registry);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Hosted services stop in reverse order, so the ones that feed batchers have stopped by now.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<IMicroBatcher> batchers = _registry.GetBatchers();
        if (batchers.Count == 0)
        {
            return;
        }

        TimeProvider clock = _timeProvider ?? TimeProvider.System;
        long started = clock.GetTimestamp();
        Log.Draining(_logger, batchers.Count);
        try
        {
            await _registry.DrainAllAsync(cancellationToken).ConfigureAwait(false);
            Log.Drained(_logger, batchers.Count, clock.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The drains go on in the background; the host just stops waiting for them.
            ReportUnfinished(batchers);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _liveSettings.Dispose();
        if (ReferenceEquals(_registry.LoggerFactory, _loggerFactory))
        {
            _registry.LoggerFactory = null;
        }

        if (ReferenceEquals(_registry.TimeProvider, _timeProvider))
        {
            _registry.TimeProvider = null;
        }

        return Task.CompletedTask;
    }

    private void ReportUnfinished(IReadOnlyList<IMicroBatcher> batchers)
    {
        long pending = 0, inFlight = 0;
        int running = 0;
        var names = new List<string>();
        foreach (IMicroBatcher batcher in batchers)
        {
            MicroBatcherStatistics statistics = batcher.GetStatistics();
            if (statistics.PendingItems > 0 || statistics.BatchesInFlight > 0)
            {
                pending += statistics.PendingItems;
                inFlight += statistics.ItemsInFlight;
                running += statistics.BatchesInFlight;
                names.Add($"{batcher.Name ?? "(unnamed)"} ({statistics.PendingItems} queued, {statistics.ItemsInFlight} in {statistics.BatchesInFlight} running)");
            }
        }

        Log.DrainTimedOut(_logger, pending, inFlight, running, string.Join(", ", names));
    }
}
