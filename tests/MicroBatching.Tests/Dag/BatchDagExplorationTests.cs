using System.Diagnostics;
using Xunit.Abstractions;

namespace MicroBatching.Tests.Dag;

/// <summary>
/// Seeded random graphs, node outcomes and cancellations (<see cref="DagScenario"/>): every input gets exactly the value
/// or the failure the reference model predicts, every node is called once per chunk of its live inputs, the parallelism
/// bound holds, and a cancelled run throws only after its last node call ended. The thread pool still orders the calls,
/// so each seed fixes what happens, not the interleaving. <c>MICROBATCHING_DAG_SCENARIOS</c> sets how many to run and
/// <c>MICROBATCHING_DAG_SEED</c> the first seed.
/// </summary>
public sealed class BatchDagExplorationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EverySeededGraphGivesEachInputItsOwnValueOrItsOwnFailure()
    {
        int scenarios = int.TryParse(Environment.GetEnvironmentVariable("MICROBATCHING_DAG_SCENARIOS"), out int n) ? n : 2_000;
        int firstSeed = int.TryParse(Environment.GetEnvironmentVariable("MICROBATCHING_DAG_SEED"), out int s) ? s : 1;
        var watch = Stopwatch.StartNew();
        for (int seed = firstSeed; seed < firstSeed + scenarios; seed++)
        {
            var scenario = new DagScenario(seed);
            if (await scenario.RunAsync() is { } failure)
            {
                Assert.Fail($"Graph {seed} ({scenario}) broke an invariant: {failure}\n" +
                            $"Replay it: MICROBATCHING_DAG_SEED={seed} MICROBATCHING_DAG_SCENARIOS=1 dotnet test tests/MicroBatching.Tests --filter BatchDagExplorationTests");
            }
        }

        output.WriteLine($"{scenarios} graphs from seed {firstSeed} in {watch.Elapsed.TotalSeconds:0.0} s");
    }
}
