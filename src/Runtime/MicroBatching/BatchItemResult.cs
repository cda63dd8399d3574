using System.Runtime.ExceptionServices;

namespace MicroBatching;

/// <summary>One item's outcome in a batch run: its value, or the exception that failed it.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly struct BatchItemResult<T>
{
    private readonly T _value;

    private BatchItemResult(T value, Exception? exception)
    {
        _value = value;
        Exception = exception;
    }

    /// <summary>Whether the item has a value.</summary>
    public bool IsSuccess => Exception is null;

    /// <summary>The item's value; throws the item's exception when it failed.</summary>
    public T Value
    {
        get
        {
            if (Exception is not null)
            {
                ExceptionDispatchInfo.Throw(Exception);
            }

            return _value;
        }
    }

    /// <summary>Why the item failed; <see langword="null"/> when it succeeded.</summary>
    public Exception? Exception { get; }

    /// <summary>A successful outcome.</summary>
    public static BatchItemResult<T> Success(T value) => new(value, null);

    /// <summary>A failed outcome.</summary>
    public static BatchItemResult<T> Failure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(default!, exception);
    }

    /// <inheritdoc/>
    public override string ToString() => Exception is null ? $"Success({_value})" : $"Failure({Exception.GetType().Name}: {Exception.Message})";
}
