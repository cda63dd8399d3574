using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task EachBatchRecordsItsSizeDurationWaitAndOutcomeTaggedWithTheBatcherName()
    {
        string name = $"metrics-{Guid.NewGuid():N}";
        var time = new FakeTimeProvider();
        using var sizes = new MetricCollector<int>(null, MicroBatchingDiagnostics.MeterName, "microbatching.batch.size");
        using var waits = new MetricCollector<double>(null, MicroBatchingDiagnostics.MeterName, "microbatching.batch.wait_time");
        using var batches = new MetricCollector<long>(null, MicroBatchingDiagnostics.MeterName, "microbatching.batches");
        using var items = new MetricCollector<long>(null, MicroBatchingDiagnostics.MeterName, "microbatching.items");

        await using (var batcher = new MicroBatcher<int, int>(
            (list, _) => list[0] < 0 ? throw new InvalidOperationException() : ValueTask.FromResult<IReadOnlyList<int>>(list.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromMilliseconds(10), Name = name }, time))
        {
            ValueTask<int>[] full = [.. Enumerable.Range(1, 3).Select(i => batcher.ProcessAsync(i))];
            await Task.WhenAll(full.Select(c => c.WithTimeout()));
            ValueTask<int> failing = batcher.ProcessAsync(-1);
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WithTimeout());
        }

        Assert.Equal([3, 1], Mine(sizes.GetMeasurementSnapshot(), name).Select(m => m.Value));
        Assert.Equal([0.0, 0.010], Mine(waits.GetMeasurementSnapshot(), name).Select(m => Math.Round(m.Value, 6)));
        Assert.Equal(["success", "failure"], Mine(batches.GetMeasurementSnapshot(), name).Select(m => m.Tags["microbatching.outcome"]));
        Assert.Equal([3L, 1L], Mine(items.GetMeasurementSnapshot(), name).Select(m => m.Value));
    }

    [Theory]
    [InlineData("microbatching.batch.duration", 0.001)]
    [InlineData("microbatching.batch.wait_time", 0.0005)]
    public void DurationsAdviseBucketsFineEnoughForMilliseconds(string instrumentName, double boundary)
    {
        // The SDKs' default buckets start at 5 and 10: in seconds, every batch would land in the first one.
        Histogram<double> histogram = Assert.IsType<Histogram<double>>(Published(instrumentName));

        Assert.Contains(boundary, histogram.Advice!.HistogramBucketBoundaries!);
        Assert.Equal(10, histogram.Advice.HistogramBucketBoundaries!.Max());
    }

    [Fact]
    public void BatchSizesAdvisePowersOfTwo()
    {
        Histogram<int> histogram = Assert.IsType<Histogram<int>>(Published("microbatching.batch.size"));

        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096], histogram.Advice!.HistogramBucketBoundaries!);
    }

    private static Instrument Published(string instrumentName)
    {
        Instrument? found = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == MicroBatchingDiagnostics.MeterName && instrument.Name == instrumentName)
                {
                    found = instrument;
                }
            },
        };
        RuntimeHelpers.RunClassConstructor(typeof(MicroBatcher<int, int>).Assembly
            .GetType("MicroBatching.Internal.MicroBatchingTelemetry")!.TypeHandle);
        listener.Start();
        return found ?? throw new InvalidOperationException($"{instrumentName} is not published.");
    }

    [Fact]
    public async Task EachBatchSaysWhyItLeft()
    {
        string name = $"reasons-{Guid.NewGuid():N}";
        var time = new FakeTimeProvider();
        using var batches = new MetricCollector<long>(null, MicroBatchingDiagnostics.MeterName, "microbatching.batches");
        var function = new RecordingBatchFunction<string, int>(text => text.Length);
        var batcher = new MicroBatcher<string, int>(function.Invoke, new MicroBatchOptions
        {
            MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromMilliseconds(10), Name = name,
            MaxBatchCost = 10, ItemCost = (string text) => text.Length,
        }, time);

        await Task.WhenAll(batcher.ProcessAsync("a").AsTask(), batcher.ProcessAsync("b").AsTask()).WithTimeout();        // size
        await batcher.ProcessAsync(new string('x', 10)).WithTimeout();                                                   // cost
        ValueTask<int> alone = batcher.ProcessAsync("c");
        time.Advance(TimeSpan.FromMilliseconds(10));
        await alone.WithTimeout();                                                                                      // time
        ValueTask<int> draining = batcher.ProcessAsync("d");
        await batcher.DisposeAsync();
        await draining.WithTimeout();                                                                                   // drain

        string adaptiveName = name + "-adaptive";
        await using (var adaptive = new MicroBatcher<string, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1), DispatchMode = BatchDispatchMode.Adaptive, Name = adaptiveName }, time))
        {
            await adaptive.ProcessAsync("e").WithTimeout();                                                             // adaptive
        }

        Assert.Equal(["size", "cost", "time", "drain"], Mine(batches.GetMeasurementSnapshot(), name).Select(m => m.Tags["microbatching.dispatch.reason"]));
        Assert.Equal(["adaptive"], Mine(batches.GetMeasurementSnapshot(), adaptiveName).Select(m => m.Tags["microbatching.dispatch.reason"]));
    }

    [Fact]
    public async Task PendingItemsAreAGaugePerLiveBatcher()
    {
        string name = $"pending-{Guid.NewGuid():N}";
        using var pending = new MetricCollector<long>(null, MicroBatchingDiagnostics.MeterName, "microbatching.items.pending");
        var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = TimeSpan.FromHours(1), Name = name }, new FakeTimeProvider());
        ValueTask<int>[] calls = [.. Enumerable.Range(0, 3).Select(i => batcher.ProcessAsync(i))];

        pending.RecordObservableInstruments();
        Assert.Equal([3L], Mine(pending.GetMeasurementSnapshot(), name).Select(m => m.Value));

        await batcher.DisposeAsync();
        await Task.WhenAll(calls.Select(c => c.WithTimeout()));
        pending.Clear();
        pending.RecordObservableInstruments();
        Assert.Empty(Mine(pending.GetMeasurementSnapshot(), name));
    }

    [Fact]
    public async Task CancellationsAndRejectionsAreCountedPerItem()
    {
        string name = $"outcomes-{Guid.NewGuid():N}";
        using var items = new MetricCollector<long>(null, MicroBatchingDiagnostics.MeterName, "microbatching.items");
        using var cancellation = new CancellationTokenSource();
        await using var batcher = new MicroBatcher<int, int>(
            (list, _) => ValueTask.FromResult<IReadOnlyList<int>>(list.ToArray()),
            new MicroBatchOptions { MaxWaitTime = TimeSpan.FromHours(1), QueueCapacity = 1, QueueFullMode = QueueFullMode.Reject, Name = name },
            new FakeTimeProvider());

        ValueTask<int> cancelled = batcher.ProcessAsync(1, cancellation.Token);
        await Assert.ThrowsAsync<BatchQueueFullException>(() => batcher.ProcessAsync(2).WithTimeout());
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WithTimeout());

        Assert.Equal(["rejected", "cancelled"], Mine(items.GetMeasurementSnapshot(), name).Select(m => m.Tags["microbatching.outcome"]));
    }

    [Fact]
    public async Task EachBatchIsAnActivityLinkedToItsCallersActivities()
    {
        string name = $"traces-{Guid.NewGuid():N}";
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MicroBatchingDiagnostics.ActivitySourceName or "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (stopped)
                {
                    stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var callers = new ActivitySource("test");

        await using var batcher = new MicroBatcher<int, int>(
            (list, _) => ValueTask.FromResult<IReadOnlyList<int>>(list.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1), Name = name }, new FakeTimeProvider());

        var contexts = new List<ActivityContext>();
        var calls = new List<ValueTask<int>>();
        for (int i = 0; i < 2; i++)
        {
            using Activity caller = callers.StartActivity("request")!;
            contexts.Add(caller.Context);
            calls.Add(batcher.ProcessAsync(i));
        }

        await Task.WhenAll(calls.Select(c => c.WithTimeout()));
        await WaitUntilAsync(() => Batches().Count == 1, "the batch activity stops");

        Activity batch = Batches().Single();
        Assert.Equal(name, batch.GetTagItem("microbatching.batcher.name"));
        Assert.Equal(2, batch.GetTagItem("microbatching.batch.size"));
        Assert.Equal(contexts, batch.Links.Select(l => l.Context));
        Assert.Equal(default, batch.Parent?.Context ?? default);

        List<Activity> Batches()
        {
            lock (stopped)
            {
                return [.. stopped.Where(a => a.Source.Name == MicroBatchingDiagnostics.ActivitySourceName && Equals(a.GetTagItem("microbatching.batcher.name"), name))];
            }
        }
    }

    [Fact]
    public async Task ABatchActivityLinksOnlyTheCallersStillInItAndSaysWhyAndWhoseItIs()
    {
        string name = $"links-{Guid.NewGuid():N}";
        using var recorder = new BatchActivities(name, callerSourceName: "test-links");
        using var callers = new ActivitySource("test-links");
        var time = new FakeTimeProvider();
        await using var batcher = new MicroBatcher<int, int>(
            (list, _) => ValueTask.FromResult<IReadOnlyList<int>>(list.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 4, MaxWaitTime = TimeSpan.FromMilliseconds(5), Name = name }, time);

        using var cancel = new CancellationTokenSource();
        ActivityContext kept;
        ValueTask<int> traced, cancelled, untraced;
        using (Activity caller = callers.StartActivity("kept")!)
        {
            kept = caller.Context;
            traced = batcher.ProcessAsync(1);
        }

        using (callers.StartActivity("leaves"))
        {
            cancelled = batcher.ProcessAsync(2, cancel.Token);
        }

        untraced = batcher.ProcessAsync(3);
        cancel.Cancel();
        time.Advance(TimeSpan.FromMilliseconds(5));
        await Task.WhenAll(traced.WithTimeout(), untraced.WithTimeout());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WithTimeout());

        Activity batch = await recorder.SingleAsync();
        Assert.Equal([kept], batch.Links.Select(link => link.Context));
        Assert.Equal($"micro-batch {name}", batch.DisplayName);
        Assert.Equal("time", batch.GetTagItem("microbatching.dispatch.reason"));
        Assert.Equal(2, batch.GetTagItem("microbatching.batch.size"));
        Assert.Equal(ActivityStatusCode.Unset, batch.Status);
    }

    [Fact]
    public async Task AFailedBatchsActivityCarriesTheErrorAndTheException()
    {
        string name = $"errors-{Guid.NewGuid():N}";
        using var recorder = new BatchActivities(name);
        await using var batcher = new MicroBatcher<int, int>(
            (_, _) => throw new InvalidOperationException("the model is gone"),
            new MicroBatchOptions { MaxBatchSize = 1, Name = name }, new FakeTimeProvider());

        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.ProcessAsync(1).WithTimeout());

        Activity batch = await recorder.SingleAsync();
        Assert.Equal(ActivityStatusCode.Error, batch.Status);
        Assert.Equal("the model is gone", batch.StatusDescription);
        ActivityEvent exception = Assert.Single(batch.Events, e => e.Name == "exception");
        Assert.Equal("System.InvalidOperationException", exception.Tags.Single(tag => tag.Key == "exception.type").Value);
        Assert.Equal("size", batch.GetTagItem("microbatching.dispatch.reason"));
        Assert.Empty(batch.Links);
    }

    [Fact]
    public async Task AnUnnamedBatchersActivityIsCalledMicroBatch()
    {
        using var listener = Listen(MicroBatchingDiagnostics.ActivitySourceName);
        string? displayName = null;
        await using var batcher = new MicroBatcher<int, int>(
            (list, _) =>
            {
                // The batch's activity is current while its function runs.
                displayName = Activity.Current?.DisplayName;
                return ValueTask.FromResult<IReadOnlyList<int>>(list.ToArray());
            },
            new MicroBatchOptions { MaxBatchSize = 1 }, new FakeTimeProvider());

        Assert.Equal(1, await batcher.ProcessAsync(1).WithTimeout());
        Assert.Equal("micro-batch", displayName);
    }

    [Fact]
    public async Task ABatchSealedBecauseTheNextItemDidNotFitSaysCost()
    {
        string name = $"cost-{Guid.NewGuid():N}";
        using var recorder = new BatchActivities(name);
        var time = new FakeTimeProvider();
        await using var batcher = new MicroBatcher<string, int>(
            (list, _) => ValueTask.FromResult<IReadOnlyList<int>>(list.Select(text => text.Length).ToArray()),
            new MicroBatchOptions { MaxBatchSize = 8, MaxWaitTime = TimeSpan.FromHours(1), MaxBatchCost = 5, ItemCost = (string text) => text.Length, Name = name },
            time);

        ValueTask<int> sealedOut = batcher.ProcessAsync("aaa");
        ValueTask<int> next = batcher.ProcessAsync("bbb");

        Assert.Equal(3, await sealedOut.WithTimeout());
        Activity batch = await recorder.SingleAsync();
        Assert.Equal("cost", batch.GetTagItem("microbatching.dispatch.reason"));
        await batcher.DisposeAsync();
        Assert.Equal(3, await next.WithTimeout());
    }

    private static ActivityListener Listen(string sourceName)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static IEnumerable<CollectedMeasurement<T>> Mine<T>(IEnumerable<CollectedMeasurement<T>> measurements, string name)
        where T : struct =>
        measurements.Where(m => Equals(m.Tags.GetValueOrDefault("microbatching.batcher.name"), name));
}
