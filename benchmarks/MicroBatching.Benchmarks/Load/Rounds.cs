namespace MicroBatching.Benchmarks.Load;

/// <summary>Helpers for scenarios that run every contender once per round, rounds interleaved.</summary>
internal static class Rounds
{
    /// <summary>
    /// The contenders in the order round <paramref name="round"/> runs them: rotated by one each round, so no contender
    /// always runs first, or always right after the one that leaves the most garbage or thread-pool threads behind.
    /// </summary>
    public static IEnumerable<string> Order(IReadOnlyList<string> contenders, int round)
    {
        int shift = round % contenders.Count;
        return contenders.Skip(shift).Concat(contenders.Take(shift));
    }

    /// <summary>
    /// The fastest of a pair's rounds. A shared machine only ever slows a run down, and its slow spells last longer than a
    /// round, so the fastest round is the least disturbed one; medians and per-round ratios both moved with the spells.
    /// </summary>
    public static T Fastest<T>(IEnumerable<T> rounds, Func<T, double> throughput) => rounds.MaxBy(throughput)!;
}
