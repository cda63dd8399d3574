namespace MicroBatching;

/// <summary>
/// The defaults and limits of the batching settings. One home for the numbers: <see cref="MicroBatchOptions"/> and
/// <see cref="MicroBatchedAttribute"/> use them, and the generator and analyzers compile this file too
/// (src/Generators/Shared/Shared.props), so a default or limit cannot drift between them.
/// </summary>
internal static class MicroBatchDefaults
{
    public const int MaxBatchSize = 32;

    public const int MaxWaitMilliseconds = 10;

    public const int MaxConcurrentBatches = 1;

    /// <summary>The largest batch size accepted; the batch node's packed state word counts up to it.</summary>
    public const int MaxBatchSizeLimit = 1 << 20;
}
