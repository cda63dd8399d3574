using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MicroBatching.Tests.Dag;

/// <summary>A batch run is one activity with a child per node call, and node calls are counted under the node's name.</summary>
public sealed class BatchDagTelemetryTests
{
    [Fact]
    public async Task ARunIsOneActivityAndEachNodeCallAChildCountedUnderTheNodesName()
    {
        string graph = $"graph-{Guid.NewGuid():N}";
        var stopped = new ConcurrentQueue<Activity>();
        using ActivityListener listener = ListenTo(stopped);
        using var batches = new MetricCollector<long>(null, MicroBatchingDiagnostics.MeterName, "microbatching.batches");
        using var items = new MetricCollector<long>(null, MicroBatchingDiagnostics.MeterName, "microbatching.items");

        var run = new BatchDagRun(5, new BatchDagOptions { Name = graph });
        DagColumn<int> input = run.Input([1, 2, 3, 4, 5]);
        DagColumn<int> node = run.Node($"{graph}.Node", 2, [input], (chunk, _) =>
            chunk.Of(input).Contains(5) ? throw new InvalidOperationException("five") : new ValueTask<IReadOnlyList<int>>([.. chunk.Of(input)]));
        await run.ResultsAsync([node], i => node[i]).WithTimeout();

        Activity runActivity = Assert.Single(stopped, a => a.OperationName == "MicroBatching.DagRun" && Equals(a.GetTagItem("microbatching.dag.name"), graph));
        Activity[] calls = [.. stopped.Where(a => a.OperationName == "MicroBatching.DagNode" && a.ParentSpanId == runActivity.SpanId)];
        Assert.Equal(3, calls.Length);
        Assert.All(calls, call => Assert.Equal($"{graph}.Node", call.GetTagItem("microbatching.batcher.name")));
        Assert.Equal($"batch-dag run {graph}", runActivity.DisplayName);
        Assert.Equal(5, runActivity.GetTagItem("microbatching.dag.inputs"));
        Assert.Equal(ActivityStatusCode.Unset, runActivity.Status);
        Assert.All(calls, call => Assert.Equal($"batch-dag node {graph}.Node", call.DisplayName));
        Assert.Equal([1, 2, 2], calls.Select(call => (int)call.GetTagItem("microbatching.batch.size")!).Order());
        Activity failed = Assert.Single(calls, call => call.Status == ActivityStatusCode.Error);
        Assert.Equal("five", failed.StatusDescription);
        Assert.Single(failed.Events, e => e.Name == "exception");
        Assert.All(calls.Where(call => call != failed), call => Assert.Empty(call.Events));

        string nodeName = $"{graph}.Node";
        var mine = batches.GetMeasurementSnapshot().Where(m => Equals(m.Tags["microbatching.batcher.name"], nodeName)).ToArray();
        Assert.Equal(2, mine.Count(m => Equals(m.Tags["microbatching.outcome"], "success")));
        Assert.Equal(1, mine.Count(m => Equals(m.Tags["microbatching.outcome"], "failure")));
        Assert.Equal(5, items.GetMeasurementSnapshot().Where(m => Equals(m.Tags["microbatching.batcher.name"], nodeName)).Sum(m => m.Value));
    }

    [Fact]
    public async Task AStreamIsOneActivityParentOfEachWindowsRun()
    {
        string graph = $"stream-{Guid.NewGuid():N}";
        var stopped = new ConcurrentQueue<Activity>();
        using ActivityListener listener = ListenTo(stopped);

        await foreach (BatchItemResult<int> _ in BatchDagStream.ExecuteAsync(Values(5), 2, RunWindowAsync))
        {
        }

        Activity[] runs = [.. stopped.Where(a => a.OperationName == "MicroBatching.DagRun" && Equals(a.GetTagItem("microbatching.dag.name"), graph))];
        Assert.Equal(3, runs.Length);
        Activity stream = Assert.Single(stopped, a => a.OperationName == "MicroBatching.DagStream" && a.SpanId == runs[0].ParentSpanId);
        Assert.All(runs, run => Assert.Equal(stream.SpanId, run.ParentSpanId));
        Assert.Equal(5L, stream.GetTagItem("microbatching.dag.inputs"));
        Assert.Equal("batch-dag stream", stream.DisplayName);

        Task<IReadOnlyList<BatchItemResult<int>>> RunWindowAsync(IReadOnlyList<int> window, CancellationToken ct)
        {
            var run = new BatchDagRun(window.Count, new BatchDagOptions { Name = graph }, ct);
            DagColumn<int> input = run.Input(window);
            return run.ResultsAsync([input], i => input[i]);
        }
    }

    [Fact]
    public async Task ACancelledRunsActivityCarriesTheErrorAndAnUnnamedRunIsCalledBatchDagRun()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using ActivityListener listener = ListenTo(stopped);
        using var cancellation = new CancellationTokenSource();
        var run = new BatchDagRun(1, cancellationToken: cancellation.Token);
        string id = $"cancelled-{Guid.NewGuid():N}";
        DagColumn<int> input = run.Input([1]);
        DagColumn<int> node = run.Node(id, 1, [input], async (chunk, ct) =>
        {
            await cancellation.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            return chunk.Of(input);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.ResultsAsync([node], i => node[i]).WithTimeout());

        Activity call = Assert.Single(stopped, a => a.OperationName == "MicroBatching.DagNode" && Equals(a.GetTagItem("microbatching.batcher.name"), id));
        Activity runActivity = Assert.Single(stopped, a => a.SpanId == call.ParentSpanId);
        Assert.Equal("batch-dag run", runActivity.DisplayName);
        Assert.Equal(ActivityStatusCode.Error, runActivity.Status);
    }

    [Fact]
    public async Task TheSourceIsReadUnderTheCallersActivityAndEachWindowUnderTheStreams()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using ActivityListener listener = ListenTo(stopped);
        using var callers = new ActivitySource("stream-caller");
        using ActivityListener callerListener = ListenTo(stopped, "stream-caller");
        using Activity caller = callers.StartActivity("request")!;
        var readUnder = new ConcurrentBag<Activity?>();
        var runUnder = new ConcurrentBag<Activity?>();

        await foreach (BatchItemResult<int> _ in BatchDagStream.ExecuteAsync(Recorded(5, readUnder), 2, (window, _) =>
        {
            runUnder.Add(Activity.Current);
            return Task.FromResult<IReadOnlyList<BatchItemResult<int>>>([.. window.Select(BatchItemResult<int>.Success)]);
        }))
        {
        }

        Assert.Equal(6, readUnder.Count);
        Assert.All(readUnder, activity => Assert.Same(caller, activity));
        Assert.Equal(3, runUnder.Count);
        Assert.All(runUnder, activity => Assert.Equal("MicroBatching.DagStream", activity?.OperationName));
    }

    [Fact]
    public async Task WithNobodyListeningToTheBatcherEachWindowRunsUnderTheCallersActivity()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var callers = new ActivitySource("unobserved-stream-caller");
        using ActivityListener callerListener = ListenTo(stopped, "unobserved-stream-caller");
        using Activity caller = callers.StartActivity("request")!;
        var runUnder = new ConcurrentBag<Activity?>();

        await foreach (BatchItemResult<int> _ in BatchDagStream.ExecuteAsync(Values(5), 2, (window, _) =>
        {
            runUnder.Add(Activity.Current);
            return Task.FromResult<IReadOnlyList<BatchItemResult<int>>>([.. window.Select(BatchItemResult<int>.Success)]);
        }))
        {
        }

        // Another test may be listening to the batcher's source meanwhile: then the stream's activity is current instead.
        Assert.All(runUnder, activity => Assert.True(
            ReferenceEquals(activity, caller) || activity?.OperationName == "MicroBatching.DagStream",
            $"A window ran under {activity?.OperationName ?? "no activity"}."));
    }

    private static ActivityListener ListenTo(ConcurrentQueue<Activity> stopped, string sourceName = MicroBatchingDiagnostics.ActivitySourceName)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static async IAsyncEnumerable<int> Recorded(int count, ConcurrentBag<Activity?> readUnder)
    {
        for (int i = 0; i <= count; i++)
        {
            readUnder.Add(Activity.Current);
            await Task.Yield();
            if (i < count)
            {
                yield return i;
            }
        }
    }

    private static async IAsyncEnumerable<int> Values(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }
}
