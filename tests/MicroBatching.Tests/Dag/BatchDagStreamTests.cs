namespace MicroBatching.Tests.Dag;

public sealed class BatchDagStreamTests
{
    [Fact]
    public async Task ResultsComeBackInInputOrderWindowByWindow()
    {
        var windows = new List<int>();
        var results = new List<int>();
        await foreach (BatchItemResult<int> result in BatchDagStream.ExecuteAsync(Range(10), window: 4, (inputs, _) =>
        {
            windows.Add(inputs.Count);
            return Task.FromResult<IReadOnlyList<BatchItemResult<int>>>([.. inputs.Select(x => BatchItemResult<int>.Success(x * 3))]);
        }))
        {
            results.Add(result.Value);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(x => x * 3), results);
        Assert.Equal([4, 4, 2], windows);
    }

    [Fact]
    public async Task AtMostTwoWindowsOfInputsAreReadAheadOfTheConsumer()
    {
        int read = 0, handedOut = 0, maxAhead = 0;
        async IAsyncEnumerable<int> Source()
        {
            for (int i = 0; i < 100; i++)
            {
                await Task.Yield();
                int ahead = Interlocked.Increment(ref read) - Volatile.Read(ref handedOut);
                maxAhead = Math.Max(maxAhead, ahead);
                yield return i;
            }
        }

        await foreach (BatchItemResult<int> result in BatchDagStream.ExecuteAsync(Source(), window: 5,
            (inputs, _) => Task.FromResult<IReadOnlyList<BatchItemResult<int>>>([.. inputs.Select(BatchItemResult<int>.Success)])))
        {
            Interlocked.Increment(ref handedOut);
            await Task.Delay(1);
        }

        Assert.Equal(100, handedOut);
        Assert.InRange(maxAhead, 1, 2 * 5);
    }

    [Fact]
    public async Task ReadingTheNextWindowOverlapsWithRunningTheCurrentOne()
    {
        var secondWindowRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async IAsyncEnumerable<int> Source()
        {
            for (int i = 0; i < 4; i++)
            {
                if (i == 3)
                {
                    secondWindowRead.TrySetResult();
                }

                await Task.Yield();
                yield return i;
            }
        }

        int windows = 0;
        await foreach (BatchItemResult<int> _ in BatchDagStream.ExecuteAsync<int, int>(Source(), window: 2, async (inputs, _) =>
        {
            // The first window finishes only once the source has moved on to the second.
            if (Interlocked.Increment(ref windows) == 1)
            {
                await secondWindowRead.Task.WaitAsync(Generous);
            }

            return (IReadOnlyList<BatchItemResult<int>>)[.. inputs.Select(BatchItemResult<int>.Success)];
        }))
        {
        }

        Assert.Equal(2, windows);
    }

    [Fact]
    public async Task CancellationStopsTheEnumeration()
    {
        using var cancellation = new CancellationTokenSource();
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (BatchItemResult<int> _ in BatchDagStream.ExecuteAsync(Range(1_000), 10,
                (inputs, ct) => Task.FromResult<IReadOnlyList<BatchItemResult<int>>>([.. inputs.Select(BatchItemResult<int>.Success)]), cancellation.Token))
            {
                if (++seen == 15)
                {
                    cancellation.Cancel();
                }
            }
        });
        Assert.InRange(seen, 15, 20);
    }

    private static async IAsyncEnumerable<int> Range(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }
}
