namespace MicroBatching.Benchmarks.Load;

/// <summary>Everything one run of the load runner measured.</summary>
public sealed record LoadReport(
    MachineInfo Machine,
    DateTimeOffset Measured,
    string Command,
    IReadOnlyList<SaturationResult> Saturation,
    IReadOnlyList<LowLoadResult> LowLoad,
    IReadOnlyList<BurstResult> Burst,
    IReadOnlyList<RealisticCostResult> RealisticCost,
    IReadOnlyList<SweepResult> Sweep,
    BuildTimeResult? BuildTime,
    TimerCostResult? TimerCost = null,
    Dag.DagBenchmarkResult? Dag = null);

/// <summary>How much of a build of a large generated project the generator and analyzers took, per compiler mode.</summary>
public sealed record BuildTimeResult(int Methods, IReadOnlyList<BuildTimeSample> Samples)
{
    /// <summary>The build developers get by default: <c>dotnet build</c> and the IDE reuse a warm compiler server.</summary>
    public BuildTimeSample Warm => Samples.First(s => s.CompilerServer);
}

/// <summary>One measured build; with <see cref="CompilerServer"/> off, the compiler and the analyzers start cold (JIT included).</summary>
public sealed record BuildTimeSample(bool CompilerServer, double BuildSeconds, double CompilerSeconds, double GeneratorSeconds, double AnalyzerSeconds)
{
    public double ShareOfBuild => (GeneratorSeconds + AnalyzerSeconds) / BuildSeconds;

    public string Mode => CompilerServer ? "warm compiler server (IDE, default `dotnet build`)" : "cold compiler (`UseSharedCompilation=false`)";
}
