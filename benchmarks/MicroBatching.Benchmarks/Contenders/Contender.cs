namespace MicroBatching.Benchmarks.Contenders;

/// <summary>The contenders by name, so scenarios and micro-benchmarks create them the same way.</summary>
public static class Contender
{
    public const string MicroBatcher = "MicroBatcher";
    public const string MicroBatcherTask = "MicroBatcher (Task)";
    public const string MicroBatcherAdaptive = "MicroBatcher (adaptive)";
    public const string MicroBatcherCostBound = "MicroBatcher (cost bound)";
    public const string Generated = "Generated wrapper";
    public const string Channels = "Channels";
    public const string Dataflow = "Dataflow";
    public const string Rx = "Rx";
    public const string OriginalDesign = "Original design";
    public const string Direct = "Direct";

    public static readonly string[] Peers = [Channels, Dataflow, Rx, OriginalDesign];

    public static IBatchingContender Create(string name, BatchWorkload workload) => name switch
    {
        MicroBatcher => new MicroBatcherContender(workload),
        MicroBatcherTask => new MicroBatcherContender(workload, asTask: true),
        MicroBatcherAdaptive => new MicroBatcherContender(workload, dispatchMode: BatchDispatchMode.Adaptive),
        MicroBatcherCostBound => new MicroBatcherContender(workload, costBound: true),
        Generated => new GeneratedWrapperContender(workload),
        Channels => new ChannelBatcher(workload),
        Dataflow => new DataflowBatcher(workload),
        Rx => new ReactiveBatcher(workload),
        OriginalDesign => new OriginalDesignBatcher(workload),
        Direct => new DirectContender(workload),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown contender."),
    };
}
