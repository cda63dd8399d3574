using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MicroBatching.Internal;
using Microsoft.Extensions.Logging;

namespace MicroBatching;

/// <summary>
/// Batches look-ups by key, as GraphQL DataLoaders do: concurrent <see cref="ProcessAsync"/> calls become one call of a
/// function that returns a dictionary. Each key is sent once per batch however many callers asked for it, and a key
/// missing from the dictionary faults only its own callers, with <see cref="KeyNotFoundException"/>. Results cannot be
/// misaligned. Values are found with the batcher's key comparer, whatever comparer the returned dictionary uses; two
/// returned keys that this comparer treats as one fault that key's callers with <see cref="InvalidOperationException"/>.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class KeyedMicroBatcher<TKey, TValue> : IMicroBatcher, IDrainable
    where TKey : notnull
{
    private readonly Func<IReadOnlyList<TKey>, CancellationToken, ValueTask<IReadOnlyDictionary<TKey, TValue>>> _lookup;
    private readonly IEqualityComparer<TKey> _comparer;
    private readonly MicroBatcher<TKey, KeyLookup<TValue>> _batcher;

    /// <summary>Creates a keyed batcher over <paramref name="lookup"/>.</summary>
    /// <param name="lookup">Returns the values found for a list of distinct keys; keys with no value are left out.</param>
    /// <param name="options">How to batch. <see cref="MicroBatchOptions.MaxBatchSize"/> counts calls, not distinct keys.</param>
    /// <param name="timeProvider">The clock and timers; see <see cref="MicroBatcher{TItem, TResult}"/>.</param>
    /// <param name="logger">Receives failures no caller can.</param>
    /// <param name="comparer">
    /// How keys are told apart, both when removing duplicates and when finding each caller's value in the returned
    /// dictionary; the default comparer when <see langword="null"/>.
    /// </param>
    [OverloadResolutionPriority(1)]
    public KeyedMicroBatcher(
        Func<IReadOnlyList<TKey>, CancellationToken, ValueTask<IReadOnlyDictionary<TKey, TValue>>> lookup,
        MicroBatchOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        _lookup = lookup;
        _comparer = comparer ?? EqualityComparer<TKey>.Default;
        _batcher = new MicroBatcher<TKey, KeyLookup<TValue>>(LookUpBatchAsync, options, timeProvider, logger)
        {
            // A key with no value fails its caller: count it as a failure, not as the batch's success.
            IsFailedResult = static lookup => !lookup.Found,
        };
    }

    /// <summary>Creates a keyed batcher over a <see cref="Task{TResult}"/>-returning <paramref name="lookup"/>, as most data access APIs are.</summary>
    /// <inheritdoc cref="KeyedMicroBatcher{TKey, TValue}(Func{IReadOnlyList{TKey}, CancellationToken, ValueTask{IReadOnlyDictionary{TKey, TValue}}}, MicroBatchOptions?, TimeProvider?, ILogger?, IEqualityComparer{TKey}?)"/>
    public KeyedMicroBatcher(
        Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> lookup,
        MicroBatchOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        IEqualityComparer<TKey>? comparer = null)
        : this(AsValueTaskLookup(lookup), options, timeProvider, logger, comparer)
    {
    }

    /// <inheritdoc/>
    public string? Name => _batcher.Name;

    private static Func<IReadOnlyList<TKey>, CancellationToken, ValueTask<IReadOnlyDictionary<TKey, TValue>>> AsValueTaskLookup(
        Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return (keys, cancellationToken) => new ValueTask<IReadOnlyDictionary<TKey, TValue>>(lookup(keys, cancellationToken));
    }

    /// <summary>Returns the value for <paramref name="key"/>, looked up together with every other key asked for meanwhile.</summary>
    /// <exception cref="KeyNotFoundException">The look-up returned no value for the key (reported through the task).</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TValue> ProcessAsync(TKey key, CancellationToken cancellationToken = default)
    {
        KeyLookup<TValue> lookup = await _batcher.ProcessAsync(key, cancellationToken).ConfigureAwait(false);
        return lookup.Found ? lookup.Value : throw lookup.Error ?? MissingKey(key);
    }

    /// <summary>Looks up every key at once and returns the values in input order.</summary>
    /// <exception cref="KeyNotFoundException">A key had no value (reported through the task, after every key completed).</exception>
    public async Task<IReadOnlyList<TValue>> ProcessManyAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        TKey[] keyArray = [.. keys];
        IReadOnlyList<KeyLookup<TValue>> lookups = await _batcher.ProcessManyAsync(keyArray, cancellationToken).ConfigureAwait(false);
        var values = new TValue[lookups.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = lookups[i].Found ? lookups[i].Value : throw lookups[i].Error ?? MissingKey(keyArray[i]);
        }

        return values;
    }

    /// <inheritdoc/>
    public MicroBatcherStatistics GetStatistics() => _batcher.GetStatistics();

    /// <inheritdoc cref="MicroBatcher{TItem, TResult}.Reconfigure(MicroBatchOptions)"/>
    public void Reconfigure(MicroBatchOptions options) => _batcher.Reconfigure(options);

    /// <inheritdoc cref="MicroBatcher{TItem, TResult}.GetOptions"/>
    public MicroBatchOptions GetOptions() => _batcher.GetOptions();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    /// <inheritdoc/>
    Task IDrainable.Drained => ((IDrainable)_batcher).Drained;

    /// <inheritdoc/>
    public override string ToString() => _batcher.ToString();

    private async ValueTask<IReadOnlyList<KeyLookup<TValue>>> LookUpBatchAsync(IReadOnlyList<TKey> keys, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<TKey, TValue> found = await _lookup(DistinctKeys(keys), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"The look-up function of {(Name is null ? "a keyed micro-batcher" : $"'{Name}'")} returned null instead of a dictionary.");

        var results = new KeyLookup<TValue>[keys.Count];
        if (found is Dictionary<TKey, TValue> dictionary && Equals(dictionary.Comparer, _comparer))
        {
            // The dictionary already tells keys apart as the batcher does.
            for (int i = 0; i < results.Length; i++)
            {
                if (dictionary.TryGetValue(keys[i], out TValue? value))
                {
                    results[i] = new KeyLookup<TValue>(value);
                }
            }

            return results;
        }

        Dictionary<TKey, (TKey Key, KeyLookup<TValue> Lookup)> byComparer = IndexWithComparer(found);
        for (int i = 0; i < results.Length; i++)
        {
            if (byComparer.TryGetValue(keys[i], out (TKey Key, KeyLookup<TValue> Lookup) entry))
            {
                results[i] = entry.Lookup;
            }
        }

        return results;
    }

    // Values are found with the batcher's comparer, the one that removed the duplicates. Two returned keys that it treats
    // as one key leave that key without a value: picking either could hand a caller the wrong one.
    private Dictionary<TKey, (TKey Key, KeyLookup<TValue> Lookup)> IndexWithComparer(IReadOnlyDictionary<TKey, TValue> found)
    {
        var byComparer = new Dictionary<TKey, (TKey Key, KeyLookup<TValue> Lookup)>(found.Count, _comparer);
        foreach (KeyValuePair<TKey, TValue> entry in found)
        {
            ref (TKey Key, KeyLookup<TValue> Lookup) indexed =
                ref CollectionsMarshal.GetValueRefOrAddDefault(byComparer, entry.Key, out bool exists);
            indexed = exists
                ? (indexed.Key, KeyLookup<TValue>.Failed(AmbiguousKey(indexed.Key, entry.Key)))
                : (entry.Key, new KeyLookup<TValue>(entry.Value));
        }

        return byComparer;
    }

    private IReadOnlyList<TKey> DistinctKeys(IReadOnlyList<TKey> keys)
    {
        if (keys.Count < 2)
        {
            return keys;
        }

        var seen = new HashSet<TKey>(keys.Count, _comparer);
        List<TKey>? distinct = null;
        for (int i = 0; i < keys.Count; i++)
        {
            if (!seen.Add(keys[i]))
            {
                // The first duplicate: copy the distinct prefix, then keep filtering.
                distinct ??= [.. keys.Take(i)];
            }
            else
            {
                distinct?.Add(keys[i]);
            }
        }

        return distinct ?? keys;
    }

    private InvalidOperationException AmbiguousKey(TKey first, TKey second) =>
        new($"The look-up function of {(Name is null ? "a keyed micro-batcher" : $"'{Name}'")} returned values for both '{first}' and " +
            $"'{second}', which the batcher's key comparer treats as one key; its callers get no value rather than possibly the wrong one.");

    private KeyNotFoundException MissingKey(TKey key) =>
        new($"{(Name is null ? "The keyed micro-batcher" : $"'{Name}'")} found no value for the key '{key}': the look-up left it out of its result.");
}
