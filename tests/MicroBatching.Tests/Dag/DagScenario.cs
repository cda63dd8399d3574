namespace MicroBatching.Tests.Dag;

/// <summary>
/// One seeded random graph run through <see cref="BatchDagRun"/>: 0 to 12 inputs, 1 to 5 nodes each reading the input or
/// earlier nodes, chunk nodes of size 1 to 4 and single-item nodes, a parallelism of 1 to 4, node calls that succeed,
/// throw (inside their task or before it), return the wrong count or null, after 0 to 2 yields, and sometimes a
/// cancellation of the run from inside a node call. Returns the first broken invariant, or null.
/// </summary>
/// <remarks>
/// A call's outcome depends only on the seed, its node and its first input, so a reference model predicts every result:
/// an input's value, or the failure of the first call that failed it upstream (first dependency, then first output).
/// </remarks>
internal sealed class DagScenario
{
    private const int InputColumn = -1;

    private readonly int _seed;
    private readonly int _count;
    private readonly Node[] _nodes;
    private readonly int[] _outputs;
    private readonly int _maxParallelism;
    private readonly int _cancelAtCall;
    private int _callsStarted;
    private int _running;
    private int _maxRunning;

    public DagScenario(int seed)
    {
        _seed = seed;
        var random = new Random(seed);
        _count = random.Next(0, 13);
        _nodes = new Node[random.Next(1, 6)];
        for (int j = 0; j < _nodes.Length; j++)
        {
            int[] dependsOn = [.. Enumerable.Range(InputColumn, j + 1).Where(_ => random.Next(2) == 0)];
            _nodes[j] = new Node(j, dependsOn.Length == 0 ? [random.Next(InputColumn, j)] : dependsOn, random.Next(0, 5), random.Next(0, 40));
        }

        _outputs = [.. Enumerable.Range(0, _nodes.Length).Where(j => j == _nodes.Length - 1 || random.Next(3) == 0)];
        _maxParallelism = random.Next(1, 5);
        _cancelAtCall = random.Next(4) == 0 ? random.Next(0, 2 * _count + 1) : -1;
    }

    public override string ToString() =>
        $"{_count} inputs, parallelism {_maxParallelism}, cancel at call {_cancelAtCall}, outputs [{string.Join(", ", _outputs.Select(j => $"N{j}"))}], " +
        string.Join("; ", _nodes.Select(n => $"N{n.Index}({(n.MaxSize == 0 ? "item" : $"size {n.MaxSize}")}, fails {n.FailurePercent}%) <- [{string.Join(", ", n.DependsOn.Select(Name))}]"));

    public async Task<string?> RunAsync()
    {
        using var cancellation = new CancellationTokenSource();
        var run = new BatchDagRun(_count, new BatchDagOptions { MaxParallelism = _maxParallelism }, cancellation.Token);
        var columns = new DagColumn<int>[_nodes.Length];
        DagColumn<int> input = run.Input([.. Enumerable.Range(1, _count)]);
        var calls = new int[_nodes.Length];
        foreach (Node node in _nodes)
        {
            DagColumn<int>[] dependencies = [.. node.DependsOn.Select(d => d == InputColumn ? input : columns[d])];
            columns[node.Index] = node.MaxSize == 0
                ? run.ItemNode(Name(node.Index), dependencies, (i, _) =>
                {
                    Interlocked.Increment(ref calls[node.Index]);
                    return ItemCallAsync(node, i, dependencies, cancellation);
                })
                : run.Node(Name(node.Index), node.MaxSize, dependencies, (chunk, _) =>
                {
                    Interlocked.Increment(ref calls[node.Index]);
                    return ChunkCall(node, chunk, dependencies, cancellation);
                });
        }

        IReadOnlyList<BatchItemResult<int>> results;
        try
        {
            results = await run.ResultsAsync([.. _outputs.Select(j => columns[j])], i => _outputs.Sum(j => columns[j][i])).WaitAsync(TestTimeouts.Generous);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return Volatile.Read(ref _running) == 0 ? null : "a node call was still running when the cancelled run threw";
        }
        catch (Exception exception)
        {
            return $"the run threw {exception}";
        }

        if (cancellation.IsCancellationRequested)
        {
            return "the run was cancelled but returned results";
        }

        if (_maxRunning > _maxParallelism)
        {
            return $"{_maxRunning} node calls ran at once, above the parallelism of {_maxParallelism}";
        }

        return CheckAgainstModel(results, calls);
    }

    private string? CheckAgainstModel(IReadOnlyList<BatchItemResult<int>> results, int[] calls)
    {
        // Per column and input: the value, or the key of the failure that took the input out.
        var values = new int[_nodes.Length][];
        var failures = new string?[_nodes.Length][];
        foreach (Node node in _nodes)
        {
            values[node.Index] = new int[_count];
            failures[node.Index] = new string?[_count];
            var live = new List<int>();
            for (int i = 0; i < _count; i++)
            {
                string? inherited = node.DependsOn.Select(d => d == InputColumn ? null : failures[d][i]).FirstOrDefault(f => f is not null);
                if (inherited is null)
                {
                    live.Add(i);
                }

                failures[node.Index][i] = inherited;
            }

            int expectedCalls = node.MaxSize == 0 ? live.Count : (live.Count + node.MaxSize - 1) / node.MaxSize;
            if (calls[node.Index] != expectedCalls)
            {
                return $"{Name(node.Index)} was called {calls[node.Index]} times over {live.Count} live inputs, not {expectedCalls}";
            }

            foreach (int[] chunk in live.Chunk(node.MaxSize == 0 ? 1 : node.MaxSize))
            {
                Outcome outcome = OutcomeOf(node, chunk[0]);
                foreach (int i in chunk)
                {
                    if (outcome == Outcome.Success)
                    {
                        values[node.Index][i] = ValueOf(node, i, d => d == InputColumn ? i + 1 : values[d][i]);
                    }
                    else
                    {
                        failures[node.Index][i] = FailureKey(node, chunk[0], outcome);
                    }
                }
            }
        }

        for (int i = 0; i < _count; i++)
        {
            string? expectedFailure = _outputs.Select(j => failures[j][i]).FirstOrDefault(f => f is not null);
            BatchItemResult<int> actual = results[i];
            if (expectedFailure is null)
            {
                int expected = _outputs.Sum(j => values[j][i]);
                if (!actual.IsSuccess || actual.Value != expected)
                {
                    return $"input {i}: expected {expected}, got {(actual.IsSuccess ? actual.Value.ToString() : actual.Exception!.Message)}";
                }
            }
            else if (actual.IsSuccess || KeyOf(actual.Exception!) != expectedFailure)
            {
                return $"input {i}: expected the failure {expectedFailure}, got {(actual.IsSuccess ? actual.Value.ToString() : KeyOf(actual.Exception!))}";
            }
        }

        return null;
    }

    private async ValueTask<int> ItemCallAsync(Node node, int index, DagColumn<int>[] dependencies, CancellationTokenSource cancellation)
    {
        using var call = Enter(cancellation);
        await YieldAsync(node, index);
        return OutcomeOf(node, index) == Outcome.Success
            ? ValueOf(node, index, d => dependencies[Array.IndexOf(node.DependsOn, d)][index])
            : throw new InvalidOperationException(FailureKey(node, index, Outcome.Throws));
    }

    private ValueTask<IReadOnlyList<int>> ChunkCall(Node node, DagChunk chunk, DagColumn<int>[] dependencies, CancellationTokenSource cancellation)
    {
        Outcome outcome = OutcomeOf(node, chunk[0]);
        if (outcome == Outcome.ThrowsBeforeItsTask)
        {
            using var call = Enter(cancellation);
            throw new InvalidOperationException(FailureKey(node, chunk[0], Outcome.Throws));
        }

        return ChunkCallAsync(node, chunk, dependencies, outcome, cancellation);
    }

    private async ValueTask<IReadOnlyList<int>> ChunkCallAsync(
        Node node, DagChunk chunk, DagColumn<int>[] dependencies, Outcome outcome, CancellationTokenSource cancellation)
    {
        using var call = Enter(cancellation);
        await YieldAsync(node, chunk[0]);
        int[] values = new int[chunk.Count];
        for (int position = 0; position < chunk.Count; position++)
        {
            int p = position;
            values[p] = ValueOf(node, chunk[p], d => chunk.Of(dependencies[Array.IndexOf(node.DependsOn, d)])[p]);
        }

        return outcome switch
        {
            Outcome.Success => values,
            Outcome.Throws => throw new InvalidOperationException(FailureKey(node, chunk[0], outcome)),
            Outcome.WrongCount => values[1..],
            _ => null!,
        };
    }

    private RunningCall Enter(CancellationTokenSource cancellation)
    {
        int running = Interlocked.Increment(ref _running);
        int max = Volatile.Read(ref _maxRunning);
        while (running > max && Interlocked.CompareExchange(ref _maxRunning, running, max) is var seen && seen != max)
        {
            max = seen;
        }

        if (Interlocked.Increment(ref _callsStarted) - 1 == _cancelAtCall)
        {
            cancellation.Cancel();
        }

        return new RunningCall(this);
    }

    private async Task YieldAsync(Node node, int firstIndex)
    {
        for (int i = Mix(node.Index, firstIndex, 7) % 3; i > 0; i--)
        {
            await Task.Yield();
        }
    }

    private Outcome OutcomeOf(Node node, int firstIndex)
    {
        if (Mix(node.Index, firstIndex, 1) % 100 >= node.FailurePercent)
        {
            return Outcome.Success;
        }

        return node.MaxSize == 0 ? Outcome.Throws : (Outcome)(1 + Mix(node.Index, firstIndex, 2) % 4);
    }

    private static int ValueOf(Node node, int index, Func<int, int> dependencyValue) =>
        unchecked(node.DependsOn.Sum(dependencyValue) * 3 + node.Index + 1);

    private static string FailureKey(Node node, int firstIndex, Outcome outcome) => outcome is Outcome.WrongCount or Outcome.NullResult
        ? $"mismatch at {Name(node.Index)}"
        : $"{Name(node.Index)} failed the call from input {firstIndex}";

    private static string KeyOf(Exception exception) => exception is BatchResultCountMismatchException mismatch
        ? $"mismatch at {mismatch.Message.Split('\'')[1]}"
        : exception.Message;

    private int Mix(int node, int index, int salt) =>
        (int)((uint)(_seed * 7919 + node * 104_729 + index * 1_299_709 + salt * 15_485_863) * 2_654_435_761u >> 1);

    private static string Name(int column) => column == InputColumn ? "input" : $"N{column}";

    private enum Outcome
    {
        Success,
        Throws,
        ThrowsBeforeItsTask,
        WrongCount,
        NullResult,
    }

    private sealed record Node(int Index, int[] DependsOn, int MaxSize, int FailurePercent);

    private readonly struct RunningCall(DagScenario scenario) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref scenario._running);
    }
}
