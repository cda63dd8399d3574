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
}
