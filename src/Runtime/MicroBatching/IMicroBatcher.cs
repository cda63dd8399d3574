namespace MicroBatching;

/// <summary>What every batcher offers whatever its item and result types: its name, its counters, its batching rules (which can change while it runs), and a graceful drain.</summary>
public interface IMicroBatcher : IAsyncDisposable
{
    /// <summary>The batcher's <see cref="MicroBatchOptions.Name"/>.</summary>
    string? Name { get; }

    /// <summary>A snapshot of the batcher's counters.</summary>
    MicroBatcherStatistics GetStatistics();

    /// <inheritdoc cref="MicroBatcher{TItem, TResult}.Reconfigure(MicroBatchOptions)"/>
    void Reconfigure(MicroBatchOptions options);

    /// <inheritdoc cref="MicroBatcher{TItem, TResult}.GetOptions"/>
    MicroBatchOptions GetOptions();
}
