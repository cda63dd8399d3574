using Microsoft.Extensions.Logging;

namespace MicroBatching.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "UnobservedBatchFailure", Level = LogLevel.Warning,
        Message = "A batch of {ItemCount} items of micro-batcher '{BatcherName}' failed after all of its callers had cancelled.")]
    public static partial void UnobservedBatchFailure(ILogger logger, Exception exception, string? batcherName, int itemCount);

    [LoggerMessage(EventId = 2, EventName = "CancellationCallbackFailed", Level = LogLevel.Error,
        Message = "A callback registered on the cancellation token of a batch of micro-batcher '{BatcherName}' threw.")]
    public static partial void CancellationCallbackFailed(ILogger logger, Exception exception, string? batcherName);

    [LoggerMessage(EventId = 3, EventName = "TimerFailed", Level = LogLevel.Error,
        Message = "The timer callback of micro-batcher '{BatcherName}' failed.")]
    public static partial void TimerFailed(ILogger logger, Exception exception, string? batcherName);

    [LoggerMessage(EventId = 4, EventName = "ContinuationFailed", Level = LogLevel.Error,
        Message = "A continuation of a caller of micro-batcher '{BatcherName}' threw while it was being resumed.")]
    public static partial void ContinuationFailed(ILogger logger, Exception exception, string? batcherName);

    [LoggerMessage(EventId = 5, EventName = "ManyBatchersShareAName", Level = LogLevel.Warning,
        Message = "{LiveBatchers} live micro-batchers are named '{BatcherName}'. Batching is per batcher, and a generated one is per " +
                  "object: an owner created per call or per request (a transient or scoped service) batches nothing. Make it a " +
                  "singleton, or the batch method static.")]
    public static partial void ManyBatchersShareAName(ILogger logger, string batcherName, int liveBatchers);
}
