using System.Diagnostics;
using System.Runtime.CompilerServices;
using MicroBatching.Internal;

namespace MicroBatching;

/// <summary>
/// Runs a graph over a stream larger than memory, one window of inputs at a time, and returns the results in input
/// order. The next window is read from the source while the current one runs, so at most two windows of inputs are in
/// memory, plus the results of the window being handed out. With a listener on the <c>MicroBatching</c> activity source,
/// the whole stream is one activity (<c>MicroBatching.DagStream</c>), parent of each window's run.
/// </summary>
public static class BatchDagStream
{
    /// <summary>Runs <paramref name="runWindow"/> over consecutive windows of <paramref name="inputs"/> and yields every result in order.</summary>
    /// <param name="inputs">The source; read once, one item at a time.</param>
    /// <param name="window">How many inputs run together; at least 1.</param>
    /// <param name="runWindow">A batch run over one window (a generated graph's <c>ExecuteBatchAsync</c>).</param>
    /// <param name="cancellationToken">Stops reading and running; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    public static async IAsyncEnumerable<BatchItemResult<TOut>> ExecuteAsync<TIn, TOut>(
        IAsyncEnumerable<TIn> inputs,
        int window,
        Func<IReadOnlyList<TIn>, CancellationToken, Task<IReadOnlyList<BatchItemResult<TOut>>>> runWindow,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentNullException.ThrowIfNull(runWindow);

        IAsyncEnumerator<TIn> source = inputs.GetAsyncEnumerator(cancellationToken);
        Task<List<TIn>>? reading = null;
        Activity? activity = MicroBatchingTelemetry.StartDetachedActivity(MicroBatchingTelemetry.DagStreamActivityName, "batch-dag stream");
        long count = 0;
        try
        {
            List<TIn> current = await ReadWindowAsync(source, window).ConfigureAwait(false);
            while (current.Count > 0)
            {
                count += current.Count;
                Task<IReadOnlyList<BatchItemResult<TOut>>> running = RunWindow(runWindow, current, activity, cancellationToken);
                reading = ReadWindowAsync(source, window);
                IReadOnlyList<BatchItemResult<TOut>> results = await running.ConfigureAwait(false);
                foreach (BatchItemResult<TOut> result in results)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return result;
                }

                current = await reading.ConfigureAwait(false);
                reading = null;
            }
        }
        finally
        {
            // A consumer that stops early, or a failed run: the read under way must end before the source is disposed.
            if (reading is not null)
            {
                try
                {
                    await reading.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The enumeration is already ending with the error that stopped it, or was abandoned.
                }
            }

            await source.DisposeAsync().ConfigureAwait(false);
            activity?.SetTag(MicroBatchingTelemetry.DagInputsTag, count);
            activity?.Stop();
        }
    }

    // The window's run takes the stream's activity as its parent: it reads Activity.Current when it starts.
    private static Task<IReadOnlyList<BatchItemResult<TOut>>> RunWindow<TIn, TOut>(
        Func<IReadOnlyList<TIn>, CancellationToken, Task<IReadOnlyList<BatchItemResult<TOut>>>> runWindow,
        List<TIn> window,
        Activity? parent,
        CancellationToken cancellationToken)
    {
        if (parent is null)
        {
            return runWindow(window, cancellationToken);
        }

        Activity? previous = Activity.Current;
        Activity.Current = parent;
        try
        {
            return runWindow(window, cancellationToken);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private static async Task<List<TIn>> ReadWindowAsync<TIn>(IAsyncEnumerator<TIn> source, int window)
    {
        var items = new List<TIn>(Math.Min(window, 4096));
        while (items.Count < window && await source.MoveNextAsync().ConfigureAwait(false))
        {
            items.Add(source.Current);
        }

        return items;
    }
}
