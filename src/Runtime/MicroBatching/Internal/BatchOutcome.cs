namespace MicroBatching.Internal;

internal enum BatchOutcome
{
    /// <summary>Every caller cancelled before dispatch, so the batch function was not called.</summary>
    Skipped,

    Success,

    /// <summary>The batch function threw, or its result could not be matched to the callers.</summary>
    Failure,
}
