using Microsoft.Extensions.Configuration;

namespace MicroBatching.Hosting;

/// <summary>
/// Checks the keys of a <c>MicroBatching</c> section before it is bound, so that a misspelt one fails start-up with its
/// full path and the closest valid key, instead of the binder's message that names neither.
/// </summary>
internal static class ConfigurationKeys
{
    private static readonly string[] s_sections = [nameof(MicroBatchingOptions.Defaults), nameof(MicroBatchingOptions.Batchers), nameof(MicroBatchingOptions.Dags)];

    private static readonly string[] s_batcherSettings =
    [
        nameof(MicroBatchOptionsOverrides.MaxBatchSize), nameof(MicroBatchOptionsOverrides.MaxWaitTime), nameof(MicroBatchOptionsOverrides.MaxBatchCost),
        nameof(MicroBatchOptionsOverrides.MaxConcurrentBatches), nameof(MicroBatchOptionsOverrides.QueueCapacity),
        nameof(MicroBatchOptionsOverrides.QueueFullMode), nameof(MicroBatchOptionsOverrides.DispatchMode), nameof(MicroBatchOptionsOverrides.Enabled),
    ];

    private static readonly string[] s_dagSettings = [nameof(BatchDagOptionsOverrides.MaxParallelism), nameof(BatchDagOptionsOverrides.StreamWindow)];

    /// <summary>Throws <see cref="InvalidOperationException"/> naming every unknown key in <paramref name="section"/>.</summary>
    public static void ThrowIfUnknown(IConfiguration section)
    {
        var problems = new List<string>();
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (Match(child.Key, s_sections))
            {
                case nameof(MicroBatchingOptions.Defaults):
                    CheckSettings(child, s_batcherSettings, problems);
                    break;
                case nameof(MicroBatchingOptions.Batchers):
                    foreach (IConfigurationSection batcher in child.GetChildren())
                    {
                        CheckSettings(batcher, s_batcherSettings, problems);
                    }

                    break;
                case nameof(MicroBatchingOptions.Dags):
                    foreach (IConfigurationSection dag in child.GetChildren())
                    {
                        CheckSettings(dag, s_dagSettings, problems);
                    }

                    break;
                default:
                    problems.Add(Unknown(child.Path, child.Key, s_sections));
                    break;
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }
    }

    private static void CheckSettings(IConfigurationSection entry, string[] settings, List<string> problems)
    {
        foreach (IConfigurationSection setting in entry.GetChildren())
        {
            if (Match(setting.Key, settings) is null)
            {
                problems.Add(Unknown(setting.Path, setting.Key, settings));
            }
        }
    }

    private static string? Match(string key, string[] known) => known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

    private static string Unknown(string path, string key, string[] known) =>
        $"'{path}' is not a MicroBatching setting; did you mean '{Closest(key, known)}'? Valid keys here: {string.Join(", ", known)}.";

    /// <summary>The candidate nearest to <paramref name="key"/> by edit distance, ignoring case; null when there is none.</summary>
    public static string? Closest(string key, IEnumerable<string> candidates) =>
        candidates.MinBy(candidate => Distance(key.ToUpperInvariant(), candidate.ToUpperInvariant()));

    // Levenshtein distance, for the suggestion.
    private static int Distance(string a, string b)
    {
        int[] previous = [.. Enumerable.Range(0, b.Length + 1)];
        for (int i = 1; i <= a.Length; i++)
        {
            int[] current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
