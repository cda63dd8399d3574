namespace MicroBatching.Internal;

/// <summary>The value a keyed batch found for one key, or that it found none.</summary>
internal readonly struct KeyLookup<TValue>
{
    public KeyLookup(TValue value)
    {
        Value = value;
        Found = true;
    }

    public bool Found { get; }

    public TValue Value { get; }
}
