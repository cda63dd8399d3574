namespace MicroBatching.Internal;

/// <summary>The value a keyed batch found for one key, that it found none, or that its result was ambiguous for it.</summary>
internal readonly struct KeyLookup<TValue>
{
    public KeyLookup(TValue value)
    {
        Value = value;
        Found = true;
    }

    private KeyLookup(Exception error)
    {
        Value = default!;
        Error = error;
    }

    public bool Found { get; }

    public TValue Value { get; }

    /// <summary>Why the key has no value although the look-up returned one for it; <see langword="null"/> otherwise.</summary>
    public Exception? Error { get; }

    public static KeyLookup<TValue> Failed(Exception error) => new(error);
}
