using System.Diagnostics;

namespace MicroBatching.Internal;

// A batch's activity: started when the batch function is called, linked to the trace of every caller in the run.
internal sealed partial class Batch<TItem, TResult>
{
    // The callers' trace contexts, by slot index; only while someone listens for batch activities.
    private ActivityContext[]? _callerContexts;
    private Activity? _activity;

    /// <summary>Keeps the trace context of the caller at <paramref name="index"/>, to link the batch's activity to it.</summary>
    public void SetCallerContext(int index, ActivityContext context) =>
        (Volatile.Read(ref _callerContexts) ?? CreateCallerContexts())[index] = context;

    private ActivityContext[] CreateCallerContexts()
    {
        var contexts = new ActivityContext[_maxBatchSize];
        return Interlocked.CompareExchange(ref _callerContexts, contexts, null) ?? contexts;
    }

    private Activity? StartActivity(int count)
    {
        ActivitySource source = MicroBatchingTelemetry.ActivitySource;
        if (!source.HasListeners())
        {
            return null;
        }

        List<ActivityLink>? links = null;
        ActivityContext[]? contexts = _callerContexts;
        for (int i = 0; contexts is not null && i < _claimedCount; i++)
        {
            if (GetSlot(i).InRun && contexts[i] != default)
            {
                (links ??= new List<ActivityLink>(count)).Add(new ActivityLink(contexts[i]));
            }
        }

        Activity? activity = source.StartActivity(
            MicroBatchingTelemetry.BatchActivityName, ActivityKind.Internal, parentContext: default, links: links);
        if (activity is not null)
        {
            activity.DisplayName = _owner.Name is null ? "micro-batch" : $"micro-batch {_owner.Name}";
            activity.SetTag(MicroBatchingTelemetry.BatcherNameTag, _owner.Name);
            activity.SetTag(MicroBatchingTelemetry.BatchSizeTag, count);
            activity.SetTag(MicroBatchingTelemetry.DispatchReasonTag, MicroBatchingTelemetry.ReasonTag(_dispatchReason).Value);
        }

        return activity;
    }

    private void StopActivity(Exception? exception)
    {
        Activity? activity = _activity;
        if (activity is null)
        {
            return;
        }

        _activity = null;
        if (exception is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            MicroBatchingTelemetry.AddException(activity, exception);
        }

        activity.Stop();
    }
}
