using System.Diagnostics.CodeAnalysis;

namespace MicroBatching.Internal;

internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowValueTaskMisused() =>
        throw new InvalidOperationException(
            "The ValueTask returned by ProcessAsync was awaited twice, or its result was read before it completed. " +
            "Await it exactly once, or call AsTask() to get a Task that can be awaited many times.");

    [DoesNotReturn]
    public static void ThrowItemListExpired() =>
        throw new InvalidOperationException(
            "The item list passed to a batch function is only valid until the function's task completes. " +
            "Copy it (for example with ToArray()) to keep it longer.");

    public static ObjectDisposedException Disposed(string? batcherName) =>
        new(batcherName is null ? "MicroBatcher" : $"MicroBatcher '{batcherName}'",
            "The micro-batcher is disposed or draining and accepts no new items.");

    public static InvalidOperationException NegativeItemCost(string? batcherName, int cost) =>
        new($"The ItemCost function of {(batcherName is null ? "a micro-batcher" : $"micro-batcher '{batcherName}'")} " +
            $"measured an item at {cost}; a cost is zero or more.");
}
