using System.Collections.Concurrent;

namespace MicroBatching.Hosting.Tests;

/// <summary>A batch function that records each batch and, until released, holds it.</summary>
internal sealed class RecordingBatchFunction
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RecordingBatchFunction(bool held = false)
    {
        if (!held)
        {
            _release.SetResult();
        }
    }

    public ConcurrentQueue<int[]> Batches { get; } = new();

    public void Release() => _release.TrySetResult();

    public async ValueTask<IReadOnlyList<int>> Invoke(IReadOnlyList<int> items, CancellationToken cancellationToken)
    {
        Batches.Enqueue([.. items]);
        await _release.Task.ConfigureAwait(false);
        return items.Select(item => item * 10).ToList();
    }
}
