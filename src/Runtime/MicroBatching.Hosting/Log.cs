using Microsoft.Extensions.Logging;

namespace MicroBatching.Hosting;

internal static partial class Log
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Draining {Count} micro-batcher(s).")]
    public static partial void Draining(ILogger logger, int count);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Drained {Count} micro-batcher(s) in {ElapsedMilliseconds:F0} ms.")]
    public static partial void Drained(ILogger logger, int count, double elapsedMilliseconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning,
        Message = "Shutdown timed out while draining micro-batchers: {PendingItems} items still queued, and {ItemsInFlight} items in " +
                  "{BatchesInFlight} calls of batch functions still running, in {Batchers}. The drain goes on in the background; " +
                  "those calls complete unless the process exits first.")]
    public static partial void DrainTimedOut(ILogger logger, long pendingItems, long itemsInFlight, int batchesInFlight, string batchers);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Applied reloaded MicroBatching settings to {Count} micro-batcher(s).")]
    public static partial void Reloaded(ILogger logger, int count);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error,
        Message = "Reloaded MicroBatching settings are invalid and were not applied; the settings in force stay. {Failures}")]
    public static partial void ReloadRejected(ILogger logger, string? failures);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning,
        Message = "{Key} changed in the reloaded configuration, but a running micro-batcher's queue is fixed when it is created: " +
                  "the new value applies to batchers created from now on, and to the others after a restart.")]
    public static partial void RestartNeeded(ILogger logger, string key);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "Applying reloaded MicroBatching settings failed; some micro-batchers may keep their previous settings.")]
    public static partial void ReloadFailed(ILogger logger, Exception exception);
}
