using System.Diagnostics;
using Xunit.Abstractions;

namespace MicroBatching.Tests;

/// <summary>
/// Explores seeded schedules of submit, cancellation, timer, size and drain dispatch, batch completion and failure,
/// queue-full rejection and disposal, each on one thread, with steps of other callers run at the batcher's scheduling
/// points. Debug builds only: the seam the explorer drives is compiled out of release builds. A failure prints the seed
/// that replays it. <c>MICROBATCHING_SCHEDULES</c> sets how many to explore and <c>MICROBATCHING_SCHEDULE_SEED</c> the first seed.
/// </summary>
public sealed class ScheduleExplorationTests(ITestOutputHelper output)
{
#if DEBUG
    [Fact]
#else
    [Fact(Skip = "The exploration seam exists in Debug builds only: dotnet test -c Debug --filter ScheduleExplorationTests")]
#endif
    public void EverySeededScheduleKeepsTheBatchersInvariants()
    {
#if DEBUG
        int schedules = int.TryParse(Environment.GetEnvironmentVariable("MICROBATCHING_SCHEDULES"), out int n) ? n : 10_000;
        int firstSeed = int.TryParse(Environment.GetEnvironmentVariable("MICROBATCHING_SCHEDULE_SEED"), out int s) ? s : 1;
        var watch = Stopwatch.StartNew();
        for (int seed = firstSeed; seed < firstSeed + schedules; seed++)
        {
            var explorer = new ScheduleExplorer(seed);
            if (explorer.Run() is { } failure)
            {
                Assert.Fail($"Schedule {seed} ({explorer}) broke an invariant: {failure}\n" +
                            $"Steps: {string.Join("; ", explorer.Trace)}\n" +
                            $"Replay it: MICROBATCHING_SCHEDULE_SEED={seed} MICROBATCHING_SCHEDULES=1 dotnet test tests/MicroBatching.Tests -c Debug --filter ScheduleExplorationTests");
            }
        }

        output.WriteLine($"{schedules} schedules from seed {firstSeed} in {watch.Elapsed.TotalSeconds:0.0} s");
#else
        output.WriteLine("Skipped: release builds have no exploration seam.");
#endif
    }
}
