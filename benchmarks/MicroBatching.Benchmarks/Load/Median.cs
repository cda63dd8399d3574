namespace MicroBatching.Benchmarks.Load;

internal static class Median
{
    /// <summary>The sample whose key is the median (the lower middle one for an even count).</summary>
    public static T Of<T>(IReadOnlyList<T> samples, Func<T, double> key) =>
        samples.OrderBy(key).ElementAt((samples.Count - 1) / 2);
}
