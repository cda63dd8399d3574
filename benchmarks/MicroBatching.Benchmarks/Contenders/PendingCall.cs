namespace MicroBatching.Benchmarks.Contenders;

/// <summary>
/// A call queued in one of the hand-written peers: its item and the task its caller awaits, as each of them would write it.
/// </summary>
public readonly record struct PendingCall(int Item, TaskCompletionSource<int> Completion)
{
    public static PendingCall Create(int item) =>
        new(item, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>
    /// Runs <paramref name="workload"/> over <paramref name="items"/> (the calls' items, in order) and completes each call
    /// with its own result, or every call with the failure.
    /// </summary>
    public static void RunAndComplete(BatchWorkload workload, IReadOnlyList<int> items, ReadOnlySpan<PendingCall> calls)
    {
        try
        {
            IReadOnlyList<int> results = workload.Run(items);
            for (int i = 0; i < calls.Length; i++)
            {
                calls[i].Completion.TrySetResult(results[i]);
            }
        }
        catch (Exception exception)
        {
            foreach (PendingCall call in calls)
            {
                call.Completion.TrySetException(exception);
            }
        }
    }
}
