namespace MicroBatching.Tests.Support;

internal static class TestTimeouts
{
    /// <summary>How long a test waits for something that should happen promptly; generous for a loaded 2-core machine.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static Task<T> WithTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Generous);

    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WaitAsync(Generous);

    public static Task WithTimeout(this Task task) => task.WaitAsync(Generous);

    public static Task WithTimeout(this ValueTask task) => task.AsTask().WaitAsync(Generous);

    /// <summary>Polls <paramref name="condition"/> until it holds; for state that settles on another thread.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Generous;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(1);
        }
    }
}
