namespace MicroBatching;

/// <summary>How a batch run of a graph executes (<see cref="BatchDagRun"/>).</summary>
public sealed class BatchDagOptions
{
    /// <summary>The default of <see cref="MaxParallelism"/>, as the original design's <c>parallel-executions</c>.</summary>
    public const int DefaultMaxParallelism = 10;

    /// <summary>The default of <see cref="StreamWindow"/>.</summary>
    public const int DefaultStreamWindow = 1024;

    /// <summary>Names the graph in traces, errors and configuration (<c>Namespace.Type</c> for a generated graph).</summary>
    public string? Name { get; set; }

    /// <summary>How many node calls may run at once across the graph in one run. At least 1.</summary>
    public int MaxParallelism { get; set; } = DefaultMaxParallelism;

    /// <summary>
    /// How many inputs a streaming run takes at a time. One window runs while the next is read from the source, so at
    /// most twice this many inputs are in memory. At least 1.
    /// </summary>
    public int StreamWindow { get; set; } = DefaultStreamWindow;

    /// <summary>Returns a copy of these options.</summary>
    public BatchDagOptions Clone() => (BatchDagOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> if a value is out of range.</summary>
    public void Validate(string? paramName = null)
    {
        paramName ??= "options";
        string who = Name is null ? "" : $" (graph '{Name}')";
        if (MaxParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, MaxParallelism, $"MaxParallelism must be at least 1{who}, but was {MaxParallelism}.");
        }

        if (StreamWindow < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, StreamWindow, $"StreamWindow must be at least 1{who}, but was {StreamWindow}.");
        }
    }
}
