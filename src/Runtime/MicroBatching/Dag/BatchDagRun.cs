using System.Diagnostics;
using System.Runtime.CompilerServices;
using MicroBatching.Internal;

namespace MicroBatching;

/// <summary>
/// One batch run of a graph over a list of inputs, the offline path of a <see cref="BatchDagAttribute"/> graph. Each node
/// starts once the nodes it depends on have finished, and runs over the inputs still live at it in chunks of its
/// size: exactly ceil(live / size) calls. Independent nodes run at once, and at most
/// <see cref="BatchDagOptions.MaxParallelism"/> node calls run at a time across the graph. A call that fails, by an
/// exception or a result of the wrong count, fails exactly its inputs, at that node and at every node downstream.
/// </summary>
/// <remarks>
/// Add the inputs (<see cref="Input{T}"/>) and the nodes in an order where dependencies come first, then await
/// <see cref="ResultsAsync{TOut}"/>. Node functions receive the run's token, which is the caller's. See docs/dag.md.
/// </remarks>
public sealed class BatchDagRun
{
    private readonly int _count;
    private readonly CancellationToken _cancellationToken;
    private readonly SemaphoreSlim _parallelism;
    private readonly List<Task> _nodes = [];
    private readonly Activity? _activity;

    /// <summary>Starts a run over <paramref name="count"/> inputs.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or an option is out of range.</exception>
    public BatchDagRun(int count, BatchDagOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        options = options?.Clone() ?? new BatchDagOptions();
        options.Validate(nameof(options));
        _count = count;
        Name = options.Name;
        _cancellationToken = cancellationToken;
        _parallelism = new SemaphoreSlim(options.MaxParallelism, options.MaxParallelism);
        _activity = StartRunActivity(options.Name, count);
    }

    /// <summary>The graph's name, from <see cref="BatchDagOptions.Name"/>.</summary>
    public string? Name { get; }

    /// <summary>Adds an input of the graph: a column whose values are <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold one value per input of the run.</exception>
    public DagColumn<T> Input<T>(IReadOnlyList<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _count)
        {
            throw new ArgumentException($"An input of the run has {values.Count} values, but the run has {_count} inputs.", nameof(values));
        }

        return new DagColumn<T>(this, values);
    }

    /// <summary>
    /// Adds a list-to-list node: once every column in <paramref name="dependsOn"/> is complete, <paramref name="call"/> runs
    /// over the inputs live at this node in chunks of at most <paramref name="maxSize"/>, and must return one value per
    /// input of its chunk, in chunk order.
    /// </summary>
    /// <param name="name">Names the node in metrics, traces and errors (<c>Namespace.Type.Node</c> for a generated graph).</param>
    /// <param name="maxSize">The most inputs per call; at least 1.</param>
    /// <param name="dependsOn">The columns the node reads; read them in <paramref name="call"/> with <see cref="DagChunk.Of{T}"/>.</param>
    /// <param name="call">One call of the node.</param>
    public DagColumn<T> Node<T>(string name, int maxSize, DagColumn[] dependsOn, Func<DagChunk, CancellationToken, ValueTask<IReadOnlyList<T>>> call)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 1);
        CheckColumns(dependsOn);
        ArgumentNullException.ThrowIfNull(call);
        var column = new DagColumn<T>(this, _count);
        _nodes.Add(RunNodeAsync(column, new DagNodeCall<T>(this, column, name, call, item: null), maxSize, dependsOn));
        return column;
    }

    /// <summary>
    /// Adds a single-item node: once every column in <paramref name="dependsOn"/> is complete, <paramref name="call"/> runs
    /// once for each input live at this node (it receives the input's index), within the run's parallelism.
    /// </summary>
    public DagColumn<T> ItemNode<T>(string name, DagColumn[] dependsOn, Func<int, CancellationToken, ValueTask<T>> call)
    {
        ArgumentNullException.ThrowIfNull(name);
        CheckColumns(dependsOn);
        ArgumentNullException.ThrowIfNull(call);
        var column = new DagColumn<T>(this, _count);
        _nodes.Add(RunNodeAsync(column, new DagNodeCall<T>(this, column, name, chunkCall: null, call), maxSize: 1, dependsOn));
        return column;
    }

    /// <summary>
    /// Waits for every node, then returns one result per input, in input order: <paramref name="result"/>'s value for an
    /// input live at every column in <paramref name="outputs"/>, otherwise the exception that failed it.
    /// </summary>
    /// <exception cref="OperationCanceledException">The run's token was cancelled.</exception>
    public async Task<IReadOnlyList<BatchItemResult<TOut>>> ResultsAsync<TOut>(DagColumn[] outputs, Func<int, TOut> result)
    {
        CheckColumns(outputs);
        ArgumentNullException.ThrowIfNull(result);
        try
        {
            // Every node, not only the outputs: no node call may still run once the results are handed out.
            await Task.WhenAll(_nodes).ConfigureAwait(false);
            _cancellationToken.ThrowIfCancellationRequested();
            var results = new BatchItemResult<TOut>[_count];
            for (int i = 0; i < results.Length; i++)
            {
                results[i] = FirstFailure(outputs, i) is { } failure ? BatchItemResult<TOut>.Failure(failure) : BatchItemResult<TOut>.Success(result(i));
            }

            return results;
        }
        catch (Exception exception)
        {
            _activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
        finally
        {
            _activity?.Stop();
        }
    }

    // A null column, or one of another run, would surface later as a broken run instead of the caller's mistake.
    private void CheckColumns(DagColumn[] columns, [CallerArgumentExpression(nameof(columns))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(columns, paramName);
        foreach (DagColumn column in columns)
        {
            if (column is null)
            {
                throw new ArgumentException("The list of columns holds a null.", paramName);
            }

            if (!ReferenceEquals(column.Run, this))
            {
                throw new ArgumentException(
                    $"A column of another run{(column.Run.Name is { } other ? $" ('{other}')" : "")}: a node reads only columns of its own run.", paramName);
            }
        }
    }

    private static Exception? FirstFailure(DagColumn[] outputs, int index)
    {
        foreach (DagColumn output in outputs)
        {
            if (output.FailureAt(index) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    private async Task RunNodeAsync<T>(DagColumn<T> column, DagNodeCall<T> node, int maxSize, DagColumn[] dependsOn)
    {
        try
        {
            foreach (DagColumn dependency in dependsOn)
            {
                await dependency.Completion.ConfigureAwait(false);
            }

            _cancellationToken.ThrowIfCancellationRequested();
            column.InheritFailures(dependsOn);
            int[] live = column.LiveIndices();
            var calls = new Task[(live.Length + maxSize - 1) / maxSize];
            for (int call = 0; call < calls.Length; call++)
            {
                int offset = call * maxSize;
                var chunk = new DagChunk(live, offset, Math.Min(maxSize, live.Length - offset));

                // On the thread pool: a synchronous, CPU-bound node must not run on the thread that adds nodes or
                // completes a dependency, or independent nodes would run one after another.
                calls[call] = Task.Run(() => node.RunAsync(chunk), CancellationToken.None);
            }

            await Task.WhenAll(calls).ConfigureAwait(false);
            column.Complete();
        }
        catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
        {
            column.Cancel(_cancellationToken);
        }
        catch (Exception exception)
        {
            // Not a node's failure (those fail inputs): the run itself broke. Nodes downstream and the results see it.
            column.Abort(exception);
            throw;
        }
    }

    internal CancellationToken CancellationToken => _cancellationToken;

    internal SemaphoreSlim Parallelism => _parallelism;

    internal ActivityContext ActivityContext => _activity?.Context ?? default;

    private static Activity? StartRunActivity(string? name, int count)
    {
        Activity? activity = MicroBatchingTelemetry.StartDetachedActivity(
            MicroBatchingTelemetry.DagRunActivityName, name is null ? "batch-dag run" : $"batch-dag run {name}");
        activity?.SetTag(MicroBatchingTelemetry.DagNameTag, name);
        activity?.SetTag(MicroBatchingTelemetry.DagInputsTag, count);
        return activity;
    }
}
