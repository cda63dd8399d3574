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

    [Fact]
    public async Task ArgumentsAreCheckedByNameWhenTheEnumerationStarts()
    {
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<BatchItemResult<int>>>> run =
            (inputs, _) => Task.FromResult<IReadOnlyList<BatchItemResult<int>>>([.. inputs.Select(BatchItemResult<int>.Success)]);

        Assert.Equal("inputs", (await Assert.ThrowsAsync<ArgumentNullException>(() => Drain(BatchDagStream.ExecuteAsync<int, int>(null!, 2, run)))).ParamName);
        Assert.Equal("window", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Drain(BatchDagStream.ExecuteAsync(Range(3), 0, run)))).ParamName);
        Assert.Equal("runWindow", (await Assert.ThrowsAsync<ArgumentNullException>(() => Drain(BatchDagStream.ExecuteAsync<int, int>(Range(3), 2, null!)))).ParamName);
    }

    [Fact]
    public async Task AConsumerThatStopsEarlyLetsTheReadUnderWayFinishThenDisposesTheSource()
    {
        var source = new TrackedSource(100);
        int seen = 0;
        await foreach (BatchItemResult<int> result in BatchDagStream.ExecuteAsync(source, 10,
            (inputs, _) => Task.FromResult<IReadOnlyList<BatchItemResult<int>>>([.. inputs.Select(BatchItemResult<int>.Success)])))
        {
            Assert.Equal(seen++, result.Value);
            if (seen == 3)
            {
                break;
            }
        }

        Assert.True(source.Disposed, "The source was not disposed.");
        Assert.False(source.DisposedWhileReading, "The source was disposed while a read was under way.");
        Assert.InRange(source.Read, 10, 20);
    }

    [Fact]
    public async Task AFailedWindowEndsTheEnumerationWithItsErrorAndDisposesTheSource()
    {
        var source = new TrackedSource(100);
        var results = new List<int>();
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (BatchItemResult<int> result in BatchDagStream.ExecuteAsync(source, 10,
                (inputs, _) => inputs[0] == 10
                    ? Task.FromException<IReadOnlyList<BatchItemResult<int>>>(new InvalidOperationException("second window"))
                    : Task.FromResult<IReadOnlyList<BatchItemResult<int>>>([.. inputs.Select(BatchItemResult<int>.Success)])))
            {
                results.Add(result.Value);
            }
        });

        Assert.Equal("second window", exception.Message);
        Assert.Equal(Enumerable.Range(0, 10), results);
        Assert.True(source.Disposed);
        Assert.False(source.DisposedWhileReading);
    }

    [Fact]
    public async Task AConsumerOnASynchronizationContextIsNeverResumedOnIt()
    {
        var context = new RecordingSynchronizationContext();
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<BatchItemResult<int>>>> runWindow = async (inputs, _) =>
        {
            await Task.Delay(1).ConfigureAwait(false);
            return [.. inputs.Select(BatchItemResult<int>.Success)];
        };

        // Read to the end, one MoveNextAsync at a time on the context, as a UI thread would.
        var source = new TrackedSource(25);
        IAsyncEnumerator<BatchItemResult<int>> all = BatchDagStream.ExecuteAsync(source, 10, runWindow).GetAsyncEnumerator();
        var seen = new List<int>();
        while (await context.Run(() => all.MoveNextAsync().AsTask()))
        {
            seen.Add(all.Current.Value);
        }

        await context.Run(() => all.DisposeAsync().AsTask());

        // Stopped after the first result, with the next window's read under way.
        var stopped = new TrackedSource(25);
        IAsyncEnumerator<BatchItemResult<int>> first = BatchDagStream.ExecuteAsync(stopped, 10, runWindow).GetAsyncEnumerator();
        Assert.True(await context.Run(() => first.MoveNextAsync().AsTask()));
        await context.Run(() => first.DisposeAsync().AsTask());

        Assert.Equal(Enumerable.Range(0, 25), seen);
        Assert.True(source.Disposed && stopped.Disposed);
        Assert.Equal(0, context.Posts);
    }

    private static async Task Drain<T>(IAsyncEnumerable<T> results)
    {
        await foreach (T _ in results)
        {
        }
    }

    // A source that counts what was read and says whether it was disposed in the middle of a read.
    private sealed class TrackedSource(int count) : IAsyncEnumerable<int>, IAsyncEnumerator<int>
    {
        private int _reading;

        public int Read { get; private set; }

        public bool Disposed { get; private set; }

        public bool DisposedWhileReading { get; private set; }

        public int Current { get; private set; }

        public IAsyncEnumerator<int> GetAsyncEnumerator(CancellationToken cancellationToken = default) => this;

        public async ValueTask<bool> MoveNextAsync()
        {
            Interlocked.Increment(ref _reading);
            try
            {
                await Task.Delay(1).ConfigureAwait(false);
                if (Read == count)
                {
                    return false;
                }

                Current = Read++;
                return true;
            }
            finally
            {
                Interlocked.Decrement(ref _reading);
            }
        }

        public async ValueTask DisposeAsync()
        {
            DisposedWhileReading = Volatile.Read(ref _reading) != 0;
            Disposed = true;
            await Task.Delay(1).ConfigureAwait(false);
        }
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
