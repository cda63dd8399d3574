using System.Diagnostics;
using MicroBatching.Internal;

namespace MicroBatching;

/// <summary>
/// Runs the calls of one node of a <see cref="BatchDagRun"/>: takes a unit of the run's parallelism, calls the node over
/// a chunk (or one input), writes the values into the node's column, or fails the chunk's inputs there; records the
/// call in the node's metrics and as a child activity of the run.
/// </summary>
internal sealed class DagNodeCall<T>(
    BatchDagRun run,
    DagColumn<T> column,
    string name,
    Func<DagChunk, CancellationToken, ValueTask<IReadOnlyList<T>>>? chunkCall,
    Func<int, CancellationToken, ValueTask<T>>? item)
{
    private readonly KeyValuePair<string, object?> _tags = MicroBatchingTelemetry.BatcherTag(name);

    public async Task RunAsync(DagChunk chunk)
    {
        CancellationToken cancellationToken = run.CancellationToken;
        await run.Parallelism.WaitAsync(cancellationToken).ConfigureAwait(false);
        long started = Stopwatch.GetTimestamp();
        Activity? activity = StartActivity(chunk.Count);
        Exception? failure = null;
        try
        {
            if (item is not null)
            {
                column.Set(chunk[0], await item(chunk[0], cancellationToken).ConfigureAwait(false));
            }
            else
            {
                IReadOnlyList<T> values = await chunkCall!(chunk, cancellationToken).ConfigureAwait(false);
                if (values is null || values.Count != chunk.Count)
                {
                    throw new BatchResultCountMismatchException(name, chunk.Count, values?.Count ?? 0, resultWasNull: values is null);
                }

                for (int i = 0; i < chunk.Count; i++)
                {
                    column.Set(chunk[i], values[i]);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            // Only this call's inputs fail; the node's other calls and every other input go on.
            failure = exception;
            for (int i = 0; i < chunk.Count; i++)
            {
                column.Fail(chunk[i], exception);
            }
        }
        finally
        {
            run.Parallelism.Release();
            MicroBatchingTelemetry.RecordBatch(_tags, failure is null ? BatchOutcome.Success : BatchOutcome.Failure, reason: null, chunk.Count,
                succeeded: failure is null ? chunk.Count : 0, failed: failure is null ? 0 : chunk.Count,
                waitTime: TimeSpan.Zero, duration: Stopwatch.GetElapsedTime(started));
            StopActivity(activity, failure);
        }
    }

    private Activity? StartActivity(int count)
    {
        ActivitySource source = MicroBatchingTelemetry.ActivitySource;
        if (!source.HasListeners())
        {
            return null;
        }

        Activity? activity = source.StartActivity(MicroBatchingTelemetry.DagNodeActivityName, ActivityKind.Internal, run.ActivityContext);
        if (activity is not null)
        {
            activity.DisplayName = $"batch-dag node {name}";
            activity.SetTag(MicroBatchingTelemetry.BatcherNameTag, name);
            activity.SetTag(MicroBatchingTelemetry.BatchSizeTag, count);
        }

        return activity;
    }

    private static void StopActivity(Activity? activity, Exception? failure)
    {
        if (activity is null)
        {
            return;
        }

        if (failure is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, failure.Message);
            MicroBatchingTelemetry.AddException(activity, failure);
        }

        activity.Stop();
    }
}
