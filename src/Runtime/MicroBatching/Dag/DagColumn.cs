using System.Diagnostics;

namespace MicroBatching;

/// <summary>
/// What one node of a <see cref="BatchDagRun"/> produced, aligned with the run's inputs: a value for every input that is
/// live at the node, and for the others the exception that failed them, here or upstream.
/// </summary>
public abstract class DagColumn
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Failures by input index; created on the first failure, so a run where nothing fails allocates none.
    private Exception?[]? _failures;

    private protected DagColumn(BatchDagRun run, int count)
    {
        Run = run;
        Count = count;
    }

    /// <summary>The run whose column this is: a node reads only columns of its own run.</summary>
    internal BatchDagRun Run { get; }

    /// <summary>How many inputs the run has.</summary>
    public int Count { get; }

    /// <summary>Completes when every value of the column is known, or is cancelled with the run.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Why the input at <paramref name="index"/> has no value here; <see langword="null"/> if it has one.</summary>
    public Exception? FailureAt(int index) => Volatile.Read(ref _failures)?[index];

    internal void Fail(int index, Exception exception)
    {
        Exception?[] failures = Volatile.Read(ref _failures) ?? CreateFailures();
        failures[index] ??= exception;
    }

    // An input failed at any node this one depends on has no value here either.
    internal void InheritFailures(DagColumn[] dependencies)
    {
        foreach (DagColumn dependency in dependencies)
        {
            Debug.Assert(dependency.Completion.IsCompletedSuccessfully, "A node started before a node it depends on finished.");
            Exception?[]? inherited = Volatile.Read(ref dependency._failures);
            for (int i = 0; inherited is not null && i < inherited.Length; i++)
            {
                if (inherited[i] is { } exception)
                {
                    Fail(i, exception);
                }
            }
        }
    }

    // The inputs this node runs over: those with no failure so far.
    internal int[] LiveIndices()
    {
        Exception?[]? failures = Volatile.Read(ref _failures);
        if (failures is null)
        {
            int[] all = new int[Count];
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = i;
            }

            return all;
        }

        var live = new List<int>(Count);
        for (int i = 0; i < failures.Length; i++)
        {
            if (failures[i] is null)
            {
                live.Add(i);
            }
        }

        return [.. live];
    }

    internal void Complete() => _completion.TrySetResult();

    internal void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);

    internal void Abort(Exception exception) => _completion.TrySetException(exception);

    private Exception?[] CreateFailures()
    {
        var failures = new Exception?[Count];
        return Interlocked.CompareExchange(ref _failures, failures, null) ?? failures;
    }
}

/// <summary>A node's values in a <see cref="BatchDagRun"/>, aligned with the run's inputs.</summary>
/// <typeparam name="T">The type of one value.</typeparam>
public sealed class DagColumn<T> : DagColumn
{
    private readonly T[] _values;

    internal DagColumn(BatchDagRun run, int count)
        : base(run, count) => _values = new T[count];

    internal DagColumn(BatchDagRun run, IReadOnlyList<T> inputs)
        : base(run, inputs.Count)
    {
        _values = new T[inputs.Count];
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = inputs[i];
        }

        Complete();
    }

    /// <summary>The value for the input at <paramref name="index"/>; read it only once the column is complete and the input live.</summary>
    public T this[int index] => _values[index];

    internal void Set(int index, T value) => _values[index] = value;
}
