using System.Runtime.CompilerServices;
using MicroBatching.Internal;
using Microsoft.Extensions.Logging;

namespace MicroBatching;

/// <summary>
/// Creates batchers with shared settings (logging, clock, option overrides) and keeps a weak list of them so they can be
/// drained together. Code generated for an instance <see cref="MicroBatchedAttribute"/> method creates its batcher through
/// <see cref="For(object)"/>: the registry its object was attached to, or <see cref="Default"/>. The hosting package gives
/// each host a registry of its own, configured from that host's services and configuration and drained when it stops,
/// and attaches the host's singleton services to it. Static batch methods use <see cref="Default"/>.
/// </summary>
/// <remarks>Settings apply to batchers created after they are set. Batchers are held weakly: a registry never keeps one alive.</remarks>
public sealed class MicroBatcherRegistry
{
    // Which registry creates the generated batchers of an object; weak, so attaching never keeps an object alive.
    private static readonly ConditionalWeakTable<object, MicroBatcherRegistry> s_owners = new();

    // Each live batcher with the options it was created with, before this registry's steps: what ReconfigureAll starts from.
    private readonly ConditionalWeakTable<IMicroBatcher, MicroBatchOptions> _batchers = new();

    // Batchers created per name, and the names already warned about; guarded by _gate.
    private readonly Dictionary<string, int> _createdPerName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warnedNames = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private Action<MicroBatchOptions>[] _configureOptions = [];
    private Action<BatchDagOptions>[] _configureDagOptions = [];

    /// <summary>
    /// How many live batchers may share one name before the registry logs a warning (once per name): batching is per
    /// batcher, so many batchers of one name usually mean an owner created per call or per request, which batches nothing.
    /// </summary>
    public const int ManyBatchersWarningThreshold = 64;

    /// <summary>
    /// The registry of static batch methods, and of objects attached to no other registry. No host configures or drains it
    /// unless it is registered as the container's <see cref="MicroBatcherRegistry"/>.
    /// </summary>
    public static MicroBatcherRegistry Default { get; } = new();

    /// <summary>
    /// The registry that creates the batchers of <paramref name="owner"/>'s generated members: the one it was attached to
    /// (<see cref="Attach"/>), or <see cref="Default"/>.
    /// </summary>
    public static MicroBatcherRegistry For(object owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return s_owners.TryGetValue(owner, out MicroBatcherRegistry? registry) ? registry : Default;
    }

    /// <summary>
    /// Makes this registry create the batchers of <paramref name="owner"/>'s generated members (those of its instance
    /// <see cref="MicroBatchedAttribute"/> methods), so they get this registry's settings and are drained with it. Attach an
    /// object before its first call: a batcher already created keeps its registry.
    /// </summary>
    public void Attach(object owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        s_owners.AddOrUpdate(owner, this);
    }

    /// <summary>Creates the loggers of new batchers, each named after the batcher.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock of new batchers; the high-resolution system clock when <see langword="null"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Adds a step that adjusts the options of every batcher created from now on, after the options from code (or from
    /// the attribute) and before validation. <see cref="MicroBatchOptions.Name"/> is set when it runs, so a step can
    /// match batchers by name. Disposing the returned object removes the step.
    /// </summary>
    public IDisposable ConfigureOptions(Action<MicroBatchOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        lock (_gate)
        {
            _configureOptions = [.. _configureOptions, configure];
        }

        return new Registration(() => Remove(ref _configureOptions, configure));
    }

    /// <summary>
    /// Adds a step that adjusts the options of every batch-DAG run started from now on by a graph attached to this
    /// registry. <see cref="BatchDagOptions.Name"/> is set when it runs. Disposing the returned object removes the step.
    /// </summary>
    public IDisposable ConfigureDagOptions(Action<BatchDagOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        lock (_gate)
        {
            _configureDagOptions = [.. _configureDagOptions, configure];
        }

        return new Registration(() => Remove(ref _configureDagOptions, configure));
    }

    /// <summary>Removes every step added by <see cref="ConfigureOptions"/> and <see cref="ConfigureDagOptions"/>.</summary>
    public void ClearConfiguredOptions()
    {
        lock (_gate)
        {
            _configureOptions = [];
            _configureDagOptions = [];
        }
    }

    /// <summary>
    /// Returns a copy of <paramref name="options"/> with this registry's settings applied, as a batcher created now would
    /// get them. Batch-DAG runs size each node's calls with it, so a node's configured MaxBatchSize applies to them too.
    /// </summary>
    public MicroBatchOptions GetOptions(MicroBatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Configure(options);
    }

    /// <summary>Returns a copy of <paramref name="options"/> with this registry's batch-DAG settings applied, validated.</summary>
    public BatchDagOptions GetDagOptions(BatchDagOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        BatchDagOptions configured = options.Clone();
        foreach (Action<BatchDagOptions> configure in Volatile.Read(ref _configureDagOptions))
        {
            configure(configured);
        }

        configured.Validate(nameof(options));
        return configured;
    }

    private void Remove<T>(ref Action<T>[] steps, Action<T> configure)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(steps, configure);
            if (index >= 0)
            {
                steps = [.. steps[..index], .. steps[(index + 1)..]];
            }
        }
    }

    /// <summary>
    /// Creates and tracks a batcher over a function that returns one <see cref="BatchItemResult{T}"/> per item, with this
    /// registry's settings: each caller gets its own value or its own exception.
    /// </summary>
    public ItemResultMicroBatcher<TItem, TResult> CreateItemResults<TItem, TResult>(
        Func<IReadOnlyList<TItem>, CancellationToken, ValueTask<IReadOnlyList<BatchItemResult<TResult>>>> batchFunction,
        MicroBatchOptions? options = null)
    {
        MicroBatchOptions configured = Configure(options);
        return Track(new ItemResultMicroBatcher<TItem, TResult>(batchFunction, configured, TimeProvider, CreateLogger(configured.Name)), options);
    }

    /// <summary>Creates and tracks a batcher over a <see cref="Task{TResult}"/>-returning function, with this registry's settings.</summary>
    public MicroBatcher<TItem, TResult> Create<TItem, TResult>(
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> batchFunction,
        MicroBatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(batchFunction);
        return Create<TItem, TResult>((items, cancellationToken) => new ValueTask<IReadOnlyList<TResult>>(batchFunction(items, cancellationToken)), options);
    }

    /// <summary>Creates and tracks a keyed batcher over a <see cref="Task{TResult}"/>-returning look-up, with this registry's settings.</summary>
    public KeyedMicroBatcher<TKey, TValue> CreateKeyed<TKey, TValue>(
        Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> lookup,
        MicroBatchOptions? options = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return CreateKeyed<TKey, TValue>((keys, cancellationToken) => new ValueTask<IReadOnlyDictionary<TKey, TValue>>(lookup(keys, cancellationToken)), options);
    }

    /// <summary>Creates and tracks a batcher with this registry's settings applied to a copy of <paramref name="options"/>.</summary>
    [OverloadResolutionPriority(1)]
    public MicroBatcher<TItem, TResult> Create<TItem, TResult>(
        Func<IReadOnlyList<TItem>, CancellationToken, ValueTask<IReadOnlyList<TResult>>> batchFunction,
        MicroBatchOptions? options = null)
    {
        MicroBatchOptions configured = Configure(options);
        return Track(new MicroBatcher<TItem, TResult>(batchFunction, configured, TimeProvider, CreateLogger(configured.Name)), options);
    }

    /// <summary>Creates and tracks a keyed batcher with this registry's settings applied to a copy of <paramref name="options"/>.</summary>
    [OverloadResolutionPriority(1)]
    public KeyedMicroBatcher<TKey, TValue> CreateKeyed<TKey, TValue>(
        Func<IReadOnlyList<TKey>, CancellationToken, ValueTask<IReadOnlyDictionary<TKey, TValue>>> lookup,
        MicroBatchOptions? options = null)
        where TKey : notnull
    {
        MicroBatchOptions configured = Configure(options);
        return Track(new KeyedMicroBatcher<TKey, TValue>(lookup, configured, TimeProvider, CreateLogger(configured.Name)), options);
    }

    /// <summary>The batchers created by this registry that are alive and not yet drained.</summary>
    public IReadOnlyList<IMicroBatcher> GetBatchers()
    {
        var batchers = new List<IMicroBatcher>();
        foreach (KeyValuePair<IMicroBatcher, MicroBatchOptions> entry in _batchers)
        {
            // Checked here too: the removal below runs asynchronously, just after the drain.
            if (entry.Key is not IDrainable { Drained.IsCompleted: true })
            {
                batchers.Add(entry.Key);
            }
        }

        return batchers;
    }

    /// <summary>
    /// Applies this registry's current steps (<see cref="ConfigureOptions"/>) again to every live batcher it created,
    /// starting from the options each was created with, as after a configuration file was reloaded. What a running batcher
    /// can change, and when, is described by <see cref="MicroBatcher{TItem, TResult}.Reconfigure"/>. Returns how many
    /// batchers were reconfigured.
    /// </summary>
    /// <exception cref="AggregateException">
    /// The settings were invalid for some batchers; those keep their rules, and every other batcher was reconfigured.
    /// </exception>
    public int ReconfigureAll()
    {
        var failures = new List<Exception>();
        int reconfigured = 0;
        foreach (KeyValuePair<IMicroBatcher, MicroBatchOptions> entry in _batchers)
        {
            try
            {
                entry.Key.Reconfigure(Configure(entry.Value));
                reconfigured++;
            }
            catch (ArgumentException exception)
            {
                failures.Add(exception);
            }
        }

        return failures.Count == 0 ? reconfigured : throw new AggregateException(
            $"{failures.Count} micro-batcher(s) kept their settings, which were invalid for them; {reconfigured} were reconfigured.", failures);
    }

    /// <summary>
    /// Drains every live batcher created by this registry (see <see cref="MicroBatcher{TItem, TResult}.DisposeAsync"/>);
    /// they accept no items afterwards. Returns when all have drained or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task DrainAllAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<IMicroBatcher> batchers = GetBatchers();
        var drains = new Task[batchers.Count];
        for (int i = 0; i < drains.Length; i++)
        {
            drains[i] = batchers[i].DisposeAsync().AsTask();
        }

        await Task.WhenAll(drains).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private MicroBatchOptions Configure(MicroBatchOptions? options)
    {
        MicroBatchOptions configured = options?.Clone() ?? new MicroBatchOptions();
        foreach (Action<MicroBatchOptions> configure in Volatile.Read(ref _configureOptions))
        {
            configure(configured);
        }

        return configured;
    }

    private ILogger? CreateLogger(string? name) =>
        LoggerFactory?.CreateLogger(name is null ? "MicroBatching.MicroBatcher" : $"MicroBatching.MicroBatcher.{name}");

    /// <summary>
    /// How many live batchers this registry created, by name (unnamed ones are left out). Many under one name mean they
    /// batch little each: see <see cref="ManyBatchersWarningThreshold"/>.
    /// </summary>
    public IReadOnlyDictionary<string, int> CountBatchersByName()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (IMicroBatcher batcher in GetBatchers())
        {
            if (batcher.Name is { } name)
            {
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }
        }

        return counts;
    }

    private T Track<T>(T batcher, MicroBatchOptions? options)
        where T : IMicroBatcher
    {
        _batchers.AddOrUpdate(batcher, options?.Clone() ?? new MicroBatchOptions());
        if (batcher is IDrainable drainable)
        {
            // A drained batcher is done: it is dropped, as a spare that lost a race to be created is at once.
            drainable.Drained.ContinueWith(static (_, state) =>
            {
                (MicroBatcherRegistry registry, IMicroBatcher drained) = ((MicroBatcherRegistry, IMicroBatcher))state!;
                registry._batchers.Remove(drained);
            }, (this, (IMicroBatcher)batcher), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        if (batcher.Name is { } name)
        {
            WarnIfManyShare(name);
        }

        return batcher;
    }

    // Counting the live batchers walks them all, so it is done only at every multiple of the threshold created.
    private void WarnIfManyShare(string name)
    {
        int created;
        lock (_gate)
        {
            created = _createdPerName[name] = _createdPerName.GetValueOrDefault(name) + 1;
            if (created % ManyBatchersWarningThreshold != 0 || _warnedNames.Contains(name))
            {
                return;
            }
        }

        int live = CountBatchersByName().GetValueOrDefault(name);
        if (live < ManyBatchersWarningThreshold)
        {
            return;
        }

        lock (_gate)
        {
            if (!_warnedNames.Add(name))
            {
                return;
            }
        }

        if (LoggerFactory?.CreateLogger("MicroBatching.MicroBatcherRegistry") is { } logger)
        {
            Internal.Log.ManyBatchersShareAName(logger, name, live);
        }
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
