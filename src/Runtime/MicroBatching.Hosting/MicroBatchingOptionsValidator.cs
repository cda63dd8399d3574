using Microsoft.Extensions.Options;

namespace MicroBatching.Hosting;

/// <summary>
/// Rejects out-of-range settings when the host starts, naming the configuration entry, instead of failing later when a
/// batcher is first created.
/// </summary>
internal sealed class MicroBatchingOptionsValidator(KnownBatcherNames knownNames) : IValidateOptions<MicroBatchingOptions>
{
    /// <summary>The longest MaxWaitTime configuration accepts; longer is taken as a units mistake.</summary>
    public static readonly TimeSpan MaxReasonableWaitTime = TimeSpan.FromMinutes(1);

    private static readonly Func<object, int> s_anyItemCost = static _ => 0;

    /// <summary>
    /// Set once the host's settings are live: a reload is then checked by <see cref="LiveSettings"/>, which keeps the
    /// settings in force when it is invalid, rather than by the options monitor, which would throw on the reload thread.
    /// </summary>
    public bool LeaveReloadsToListener
    {
        get => Volatile.Read(ref _leaveReloadsToListener);
        set => Volatile.Write(ref _leaveReloadsToListener, value);
    }

    private bool _leaveReloadsToListener;

    public ValidateOptionsResult Validate(string? name, MicroBatchingOptions options) =>
        LeaveReloadsToListener ? ValidateOptionsResult.Skip : Check(options);

    /// <summary>Checks every entry of <paramref name="options"/>, naming the configuration key of each failure.</summary>
    public ValidateOptionsResult Check(MicroBatchingOptions options)
    {
        var failures = new List<string>();
        Check($"{MicroBatchingOptions.SectionName}:Defaults", options.Defaults, null);
        foreach (KeyValuePair<string, MicroBatchOptionsOverrides> batcher in options.Batchers)
        {
            Check($"{MicroBatchingOptions.SectionName}:Batchers:{batcher.Key}", options.Defaults, batcher.Value);
        }

        CheckNames(options, failures);
        foreach (KeyValuePair<string, BatchDagOptionsOverrides> dag in options.Dags)
        {
            var candidate = new BatchDagOptions();
            dag.Value.ApplyTo(candidate);
            try
            {
                candidate.Validate($"{MicroBatchingOptions.SectionName}:Dags:{dag.Key}");
            }
            catch (ArgumentOutOfRangeException exception)
            {
                failures.Add(exception.Message);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(string path, MicroBatchOptionsOverrides defaults, MicroBatchOptionsOverrides? batcher)
        {
            if (batcher is null && defaults.MaxBatchCost is > 0)
            {
                failures.Add($"{path}:MaxBatchCost cannot be a default: only a batcher that measures its items takes a cost bound. " +
                             $"Set it under {MicroBatchingOptions.SectionName}:Batchers:<name>:MaxBatchCost.");
                return;
            }

            var candidate = new MicroBatchOptions();
            defaults.ApplyTo(candidate);
            batcher?.ApplyTo(candidate);

            // Whether the batcher measures its items is checked by name (CheckNames); here only the range counts.
            candidate.ItemCost = s_anyItemCost;
            // "5" binds as five days, not five milliseconds: a wait of over a minute is almost certainly a units mistake.
            if (candidate.MaxWaitTime > MaxReasonableWaitTime)
            {
                failures.Add($"{path}:MaxWaitTime is {candidate.MaxWaitTime}, over {MaxReasonableWaitTime.TotalMinutes:0} minute. A TimeSpan in " +
                             "configuration is written \"hh:mm:ss.fffffff\", and a bare number such as \"5\" means 5 days: write \"00:00:00.005\" for 5 ms.");
                return;
            }

            try
            {
                candidate.Validate(path);
            }
            catch (ArgumentOutOfRangeException exception)
            {
                failures.Add(exception.Message);
            }
        }
    }

    // A name no batcher has would be ignored silently: most often a misspelling, such as a method name without its Async.
    private void CheckNames(MicroBatchingOptions options, List<string> failures)
    {
        if (options.Batchers.Count == 0 && options.Dags.Count == 0)
        {
            return;
        }

        (HashSet<string> batchers, HashSet<string> graphs, HashSet<string> unmeasured) = knownNames.Collect();
        Check("Batchers", options.Batchers.Keys, batchers, "batcher");
        foreach (KeyValuePair<string, MicroBatchOptionsOverrides> batcher in options.Batchers)
        {
            if (batcher.Value.MaxBatchCost > 0 && unmeasured.Contains(batcher.Key))
            {
                failures.Add($"{MicroBatchingOptions.SectionName}:Batchers:{batcher.Key}:MaxBatchCost is {batcher.Value.MaxBatchCost}, but that batcher " +
                             "does not measure its items: give its [MicroBatched] a CostMethod, such as CostMethod = nameof(CountTokens).");
            }
        }

        Check("Dags", options.Dags.Keys, graphs, "batch-DAG graph");

        void Check(string section, IEnumerable<string> configured, HashSet<string> known, string what)
        {
            foreach (string name in configured.Where(name => !known.Contains(name)))
            {
                string? closest = ConfigurationKeys.Closest(name, known);
                failures.Add($"{MicroBatchingOptions.SectionName}:{section}:{name} names no {what} of this application" +
                             (closest is null ? "" : $"; did you mean '{closest}'?") +
                             $" A {what} you create by hand under a name must declare it: [assembly: MicroBatcherName(\"{name}\"{(section == "Dags" ? ", IsGraph = true" : "")})].");
            }
        }
    }
}
