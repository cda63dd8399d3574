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
    /// The median over rounds of <paramref name="ours"/> divided by the best of <paramref name="peers"/> in the same round.
    /// Pairing by round cancels most of what a shared machine does to all contenders at once.
    /// </summary>
    public static double MedianRatio(IReadOnlyList<double> ours, IEnumerable<IReadOnlyList<double>> peers)
    {
        IReadOnlyList<double>[] peerRounds = [.. peers];
        double[] ratios = [.. ours.Select((value, round) => value / peerRounds.Max(peer => peer[round]))];
        return Median.Of(ratios, ratio => ratio);
    }
}
