namespace MicroBatching.Benchmarks.Contenders;

/// <summary>The wrapper the source generator emits, called as application code would call it.</summary>
public sealed class GeneratedWrapperContender : IBatchingContender
{
    private readonly ScoringModel _model;

    public GeneratedWrapperContender(BatchWorkload workload) => _model = new ScoringModel(workload);

    public string Name => "Generated wrapper";

    public long BatchCalls => _model.Workload.Calls;

    public ValueTask<int> ProcessAsync(int item) => _model.ScoreAsync(item);

    public ValueTask DisposeAsync() => _model.ScoreBatcher.DisposeAsync();
}

/// <summary>A model whose batch method is generated into <c>ScoreAsync</c>; its settings match the load scenarios' defaults.</summary>
public sealed partial class ScoringModel(BatchWorkload workload)
{
    public BatchWorkload Workload => workload;

    [MicroBatched(MaxSize = 32, MaxWaitMs = 10)]
    private ValueTask<IReadOnlyList<int>> ScoreBatchAsync(IReadOnlyList<int> items) => new(workload.Run(items));
}
