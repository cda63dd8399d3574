using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MicroBatching.Hosting;

/// <summary>
/// Keeps the host's registry configured by the current <see cref="MicroBatchingOptions"/>: its steps read the settings in
/// force, and a reload of the configuration is validated and then applied to every live batcher
/// (<see cref="MicroBatcherRegistry.ReconfigureAll"/>), so new settings reach the next batch without a restart.
/// </summary>
/// <remarks>
/// Start-up validation fails the host. A reload cannot: it arrives on the configuration's own thread, where a throw would
/// leave the options monitor broken. So once attached, <see cref="MicroBatchingOptionsValidator"/> leaves reloads to this
/// class, which logs an invalid one with every key at fault and keeps the settings in force.
/// </remarks>
internal sealed class LiveSettings : IDisposable
{
    private readonly IOptionsMonitor<MicroBatchingOptions> _monitor;
    private readonly MicroBatchingOptionsValidator _validator;
    private readonly MicroBatcherRegistry _registry;
    private readonly ILogger _logger;
    private readonly object _gate = new();

    // The settings in force: validated, and what the registry's steps apply.
    private MicroBatchingOptions? _current;
    private IDisposable? _batcherStep;
    private IDisposable? _dagStep;
    private IDisposable? _reloads;

    public LiveSettings(
        IOptionsMonitor<MicroBatchingOptions> monitor,
        MicroBatchingOptionsValidator validator,
        MicroBatcherRegistry registry,
        ILoggerFactory? loggerFactory = null)
    {
        _monitor = monitor;
        _validator = validator;
        _registry = registry;
        _logger = (ILogger?)loggerFactory?.CreateLogger("MicroBatching.Hosting") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>
    /// Points the registry at the current settings and starts following reloads; calling it again does nothing.
    /// </summary>
    /// <exception cref="OptionsValidationException">The settings are invalid.</exception>
    public void Attach()
    {
        lock (_gate)
        {
            if (_current is not null)
            {
                return;
            }

            // Validated here, by the options factory, as at any start-up.
            _current = _monitor.CurrentValue;
            _validator.LeaveReloadsToListener = true;
            _batcherStep = _registry.ConfigureOptions(options => Volatile.Read(ref _current)?.ApplyTo(options));
            _dagStep = _registry.ConfigureDagOptions(options => Volatile.Read(ref _current)?.ApplyTo(options));
            _reloads = _monitor.OnChange(Reload);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _reloads?.Dispose();
            _batcherStep?.Dispose();
            _dagStep?.Dispose();
            _reloads = _batcherStep = _dagStep = null;
            _current = null;
            _validator.LeaveReloadsToListener = false;
        }
    }

    private void Reload(MicroBatchingOptions reloaded, string? name)
    {
        try
        {
            lock (_gate)
            {
                if (_current is null)
                {
                    return;
                }

                ValidateOptionsResult result = _validator.Check(reloaded);
                if (result.Failed)
                {
                    Log.ReloadRejected(_logger, result.FailureMessage);
                    return;
                }

                foreach (string key in RestartOnlyChanges(_current, reloaded))
                {
                    Log.RestartNeeded(_logger, key);
                }

                Volatile.Write(ref _current, reloaded);
            }

            // Outside the lock: reconfiguring touches every batcher, and a second reload waits for none of it.
            int reconfigured = _registry.ReconfigureAll();
            Log.Reloaded(_logger, reconfigured);
        }
        catch (Exception exception)
        {
            // Thrown on the configuration's reload thread, it would be lost or take the process down.
            Log.ReloadFailed(_logger, exception);
        }
    }

    // The queue of a running batcher is fixed when it is created (see MicroBatcher.Reconfigure).
    private static IEnumerable<string> RestartOnlyChanges(MicroBatchingOptions current, MicroBatchingOptions reloaded)
    {
        var entries = new List<(string Path, MicroBatchOptionsOverrides? Before, MicroBatchOptionsOverrides? After)>
        {
            ($"{MicroBatchingOptions.SectionName}:Defaults", current.Defaults, reloaded.Defaults),
        };
        foreach (string batcher in current.Batchers.Keys.Union(reloaded.Batchers.Keys, StringComparer.OrdinalIgnoreCase))
        {
            entries.Add(($"{MicroBatchingOptions.SectionName}:Batchers:{batcher}",
                current.Batchers.GetValueOrDefault(batcher), reloaded.Batchers.GetValueOrDefault(batcher)));
        }

        foreach ((string path, MicroBatchOptionsOverrides? before, MicroBatchOptionsOverrides? after) in entries)
        {
            if (before?.QueueCapacity != after?.QueueCapacity)
            {
                yield return $"{path}:{nameof(MicroBatchOptionsOverrides.QueueCapacity)}";
            }

            if (before?.QueueFullMode != after?.QueueFullMode)
            {
                yield return $"{path}:{nameof(MicroBatchOptionsOverrides.QueueFullMode)}";
            }
        }
    }
}
