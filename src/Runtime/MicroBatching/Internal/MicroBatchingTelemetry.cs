using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace MicroBatching.Internal;

/// <summary>The instruments and activity source shared by every batcher. Recorded once per batch, never per item.</summary>
internal static class MicroBatchingTelemetry
{
    public const string BatchActivityName = "MicroBatching.Batch";
    public const string DagRunActivityName = "MicroBatching.DagRun";
    public const string DagNodeActivityName = "MicroBatching.DagNode";
    public const string DagStreamActivityName = "MicroBatching.DagStream";
    public const string DagNameTag = "microbatching.dag.name";
    public const string DagInputsTag = "microbatching.dag.inputs";
    public const string BatcherNameTag = "microbatching.batcher.name";
    public const string BatchSizeTag = "microbatching.batch.size";
    public const string OutcomeTag = "microbatching.outcome";
    public const string DispatchReasonTag = "microbatching.dispatch.reason";

    private static readonly string? s_version = typeof(MicroBatchingTelemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource ActivitySource = new(MicroBatchingDiagnostics.ActivitySourceName, s_version);

    private static readonly Meter s_meter = new(MicroBatchingDiagnostics.MeterName, s_version);

    private static readonly Counter<long> s_batches = s_meter.CreateCounter<long>(
        "microbatching.batches", "{batch}", "Calls of batch functions, by outcome (success or failure).");

    private static readonly Counter<long> s_items = s_meter.CreateCounter<long>(
        "microbatching.items", "{item}", "Items that reached an outcome: success, failure, cancelled or rejected.");

    private static readonly Histogram<int> s_batchSize = s_meter.CreateHistogram<int>(
        "microbatching.batch.size", "{item}", "Items passed to one call of a batch function."
#if NET9_0_OR_GREATER
        , tags: null, new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096] }
#endif
        );

    private static readonly Histogram<double> s_batchDuration = s_meter.CreateHistogram<double>(
        "microbatching.batch.duration", "s", "How long one call of a batch function took."
#if NET9_0_OR_GREATER
        , tags: null, SecondsAdvice
#endif
        );

    private static readonly Histogram<double> s_batchWaitTime = s_meter.CreateHistogram<double>(
        "microbatching.batch.wait_time", "s", "Time from a batch's first item until its batch function was called."
#if NET9_0_OR_GREATER
        , tags: null, SecondsAdvice
#endif
        );

#if NET9_0_OR_GREATER
    // The SDKs' default buckets (0, 5, 10 ... 10000) are meant for milliseconds; batches wait and run for micro- to
    // milliseconds, so seconds get the finer buckets of OpenTelemetry's HTTP durations, extended down to 100 µs.
    private static InstrumentAdvice<double> SecondsAdvice => new()
    {
        HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };
#endif

    // Batchers that have not finished draining, for the pending-items gauge; weak, so an abandoned batcher is not kept.
    private static readonly ConditionalWeakTable<IMicroBatcher, object?> s_live = new();

    private static readonly ObservableGauge<long> s_pendingItems = s_meter.CreateObservableGauge(
        "microbatching.items.pending", ObservePendingItems, "{item}", "Items accepted and not yet handed to a batch function.");

    private static readonly KeyValuePair<string, object?> s_success = new(OutcomeTag, "success");
    private static readonly KeyValuePair<string, object?> s_failure = new(OutcomeTag, "failure");
    private static readonly KeyValuePair<string, object?> s_cancelled = new(OutcomeTag, "cancelled");
    private static readonly KeyValuePair<string, object?> s_rejected = new(OutcomeTag, "rejected");
    private static readonly KeyValuePair<string, object?> s_refused = new(OutcomeTag, "refused");

    // By DispatchReason's value.
    private static readonly KeyValuePair<string, object?>[] s_dispatchReasons =
        [new(DispatchReasonTag, "size"), new(DispatchReasonTag, "cost"), new(DispatchReasonTag, "time"), new(DispatchReasonTag, "drain"), new(DispatchReasonTag, "adaptive")];

    public static KeyValuePair<string, object?> ReasonTag(DispatchReason reason) => s_dispatchReasons[(int)reason];

    public static KeyValuePair<string, object?> BatcherTag(string? name) => new(BatcherNameTag, name);

    /// <summary>Counts the batcher in the pending-items gauge until <see cref="Untrack"/>.</summary>
    public static void Track(IMicroBatcher batcher) => s_live.AddOrUpdate(batcher, null);

    public static void Untrack(IMicroBatcher batcher) => s_live.Remove(batcher);

    // Runs only when a listener collects the gauge: the cost is one statistics snapshot per live batcher then.
    private static IEnumerable<Measurement<long>> ObservePendingItems()
    {
        GC.KeepAlive(s_pendingItems);
        foreach (KeyValuePair<IMicroBatcher, object?> live in s_live)
        {
            yield return new Measurement<long>(live.Key.GetStatistics().PendingItems, BatcherTag(live.Key.Name));
        }
    }

    /// <summary>
    /// Starts an activity that the caller's activity is the parent of, without making it the ambient one: its children
    /// name it as their parent explicitly, and the caller's context is left as it was. Null when nobody listens.
    /// </summary>
    public static Activity? StartDetachedActivity(string name, string displayName)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        Activity? previous = Activity.Current;
        Activity? activity = ActivitySource.StartActivity(name, ActivityKind.Internal);
        Activity.Current = previous;
        if (activity is not null)
        {
            activity.DisplayName = displayName;
        }

        return activity;
    }

    /// <summary>
    /// Records a finished call of a batch function over <paramref name="size"/> items, of which <paramref name="succeeded"/>
    /// callers received a result and <paramref name="failed"/> a failure (the rest cancelled meanwhile, recorded then).
    /// A batcher's batches carry why they left; a batch-DAG run's node calls, which are chunks of a run, carry no reason.
    /// </summary>
    public static void RecordBatch(
        KeyValuePair<string, object?> batcher, BatchOutcome outcome, DispatchReason? reason, int size, int succeeded, int failed, TimeSpan waitTime, TimeSpan duration)
    {
        if (s_batches.Enabled)
        {
            KeyValuePair<string, object?> outcomeTag = outcome == BatchOutcome.Success ? s_success : s_failure;
            if (reason is { } why)
            {
                s_batches.Add(1, batcher, outcomeTag, ReasonTag(why));
            }
            else
            {
                s_batches.Add(1, batcher, outcomeTag);
            }
        }

        if (s_items.Enabled)
        {
            if (succeeded > 0)
            {
                s_items.Add(succeeded, batcher, s_success);
            }

            if (failed > 0)
            {
                s_items.Add(failed, batcher, s_failure);
            }
        }

        if (s_batchSize.Enabled)
        {
            s_batchSize.Record(size, batcher);
        }

        if (s_batchDuration.Enabled)
        {
            s_batchDuration.Record(duration.TotalSeconds, batcher);
        }

        if (s_batchWaitTime.Enabled)
        {
            s_batchWaitTime.Record(waitTime.TotalSeconds, batcher);
        }
    }

    public static void RecordCancelled(KeyValuePair<string, object?> batcher)
    {
        if (s_items.Enabled)
        {
            s_items.Add(1, batcher, s_cancelled);
        }
    }

    public static void RecordFailed(KeyValuePair<string, object?> batcher)
    {
        if (s_items.Enabled)
        {
            s_items.Add(1, batcher, s_failure);
        }
    }

    public static void RecordRefused(KeyValuePair<string, object?> batcher)
    {
        if (s_items.Enabled)
        {
            s_items.Add(1, batcher, s_refused);
        }
    }

    public static void RecordRejected(KeyValuePair<string, object?> batcher)
    {
        if (s_items.Enabled)
        {
            s_items.Add(1, batcher, s_rejected);
        }
    }

    public static void AddException(Activity activity, Exception exception)
    {
#if NET9_0_OR_GREATER
        activity.AddException(exception);
#else
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            ["exception.type"] = exception.GetType().FullName,
            ["exception.message"] = exception.Message,
            ["exception.stacktrace"] = exception.ToString(),
        }));
#endif
    }
}
