namespace MicroBatching;

/// <summary>
/// The batch function returned <see langword="null"/> or a list whose count differs from the number of items it was given,
/// so no result can be matched to its caller. Every caller of that batch receives this exception.
/// </summary>
public class BatchResultCountMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception with a message that names both counts.</summary>
    public BatchResultCountMismatchException(string? batcherName, int expectedCount, int actualCount, bool resultWasNull = false)
        : base(FormatMessage(batcherName, expectedCount, actualCount, resultWasNull))
    {
        BatcherName = batcherName;
        ExpectedCount = expectedCount;
        ActualCount = actualCount;
    }

    /// <summary>Creates the exception with a custom message.</summary>
    public BatchResultCountMismatchException(string message, int expectedCount, int actualCount, Exception? innerException)
        : base(message, innerException)
    {
        ExpectedCount = expectedCount;
        ActualCount = actualCount;
    }

    /// <summary>The name of the batcher (<see cref="MicroBatchOptions.Name"/>), if it has one.</summary>
    public string? BatcherName { get; }

    /// <summary>How many items the batch function was given, and so how many results it had to return.</summary>
    public int ExpectedCount { get; }

    /// <summary>How many results it returned; 0 when it returned <see langword="null"/>.</summary>
    public int ActualCount { get; }

    private static string FormatMessage(string? batcherName, int expectedCount, int actualCount, bool resultWasNull)
    {
        string who = batcherName is null ? "The batch function" : $"The batch function of '{batcherName}'";
        string got = resultWasNull ? "null" : $"{actualCount} result{(actualCount == 1 ? "" : "s")}";
        return $"{who} was given {expectedCount} item{(expectedCount == 1 ? "" : "s")} but returned {got}. " +
               "A batch function must return exactly one result per item, in the order of the items.";
    }
}
