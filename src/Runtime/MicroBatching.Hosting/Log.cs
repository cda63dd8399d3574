using Microsoft.Extensions.Logging;

namespace MicroBatching.Hosting;

internal static partial class Log
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Draining {Count} micro-batcher(s).")]
    public static partial void Draining(ILogger logger, int count);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Drained {Count} micro-batcher(s) in {ElapsedMilliseconds:F0} ms.")]
    public static partial void Drained(ILogger logger, int count, double elapsedMilliseconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning,
        Message = "Shutdown timed out while draining micro-batchers; {PendingItems} items were pending and {BatchesInFlight} batches in flight in {Batchers}.")]
    public static partial void DrainTimedOut(ILogger logger, long pendingItems, int batchesInFlight, string batchers);
}
