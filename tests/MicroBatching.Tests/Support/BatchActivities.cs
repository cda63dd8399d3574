using System.Diagnostics;

namespace MicroBatching.Tests.Support;

/// <summary>Records the stopped batch activities of one batcher, and samples the activities of a callers' source if given.</summary>
internal sealed class BatchActivities : IDisposable
{
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public BatchActivities(string batcherName, string? callerSourceName = null)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MicroBatchingDiagnostics.ActivitySourceName || source.Name == callerSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("microbatching.batcher.name"), batcherName))
                {
                    lock (_stopped)
                    {
                        _stopped.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The batch activities stopped so far, in the order they stopped.</summary>
    public IReadOnlyList<Activity> Stopped
    {
        get
        {
            lock (_stopped)
            {
                return [.. _stopped];
            }
        }
    }

    public async Task<Activity> SingleAsync()
    {
        await WaitUntilAsync(() => Stopped.Count > 0, "the batch activity stops");
        return Assert.Single(Stopped);
    }

    public void Dispose() => _listener.Dispose();
}
