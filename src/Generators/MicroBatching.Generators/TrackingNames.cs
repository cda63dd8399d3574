namespace MicroBatching.SourceGeneration;

/// <summary>Names of the pipeline steps, so tests can check which steps re-ran.</summary>
internal static class TrackingNames
{
    public const string BatchMethods = nameof(BatchMethods);
    public const string ValidBatchMethods = nameof(ValidBatchMethods);
    public const string DagGraphs = nameof(DagGraphs);
    public const string ValidDagGraphs = nameof(ValidDagGraphs);
}
