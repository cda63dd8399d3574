using System.Diagnostics;
using MicroBatching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SentimentService;

/// <summary>Clients that each send one review at a time and await its score; stops the application when all are scored.</summary>
public sealed partial class ReviewTraffic(
    SentimentModel model, InferenceDevice device, IOptions<LoadOptions> load, IHostApplicationLifetime lifetime, ILogger<ReviewTraffic> logger)
    : BackgroundService
{
    private static readonly string[] s_reviews =
    [
        "Great product, fast delivery, would recommend",
        "Terrible. Arrived broken and support never answered",
        "Good value, a bit slow to start",
        "Excellent build quality, I love it",
        "Awful experience, I want a refund",
        "Perfect for the price",
        "Bad fit and slow shipping",
        "It works",
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int clients = load.Value.Clients;
        int total = load.Value.Reviews;
        int next = -1;
        int positive = 0;
        var stopwatch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            // Each client is sequential on purpose: it sends its next review once the last one is scored.
            int index;
            while ((index = Interlocked.Increment(ref next)) < total && !stoppingToken.IsCancellationRequested)
            {
                float score = await model.ScoreAsync(s_reviews[index % s_reviews.Length], stoppingToken);
                if (score > 0.5f)
                {
                    Interlocked.Increment(ref positive);
                }
            }
        }, stoppingToken)));

        stopwatch.Stop();
        MicroBatcherStatistics statistics = model.ScoreBatcher.GetStatistics();
        LogSummary(logger, total, clients, stopwatch.Elapsed.TotalMilliseconds, total / stopwatch.Elapsed.TotalSeconds,
            device.Calls, statistics.AverageBatchSize, positive);
        LogUnbatchedEstimate(logger, (total * InferenceDevice.CallOverhead).TotalMilliseconds);
        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Scored {Reviews} reviews from {Clients} clients in {ElapsedMs:F0} ms ({ReviewsPerSecond:F0}/s): {DeviceCalls} device calls, {AverageBatch:F1} reviews per call, {Positive} positive.")]
    private static partial void LogSummary(ILogger logger, int reviews, int clients, double elapsedMs, double reviewsPerSecond, long deviceCalls, double averageBatch, int positive);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "One device call per review would have spent {OverheadMs:F0} ms in call overhead alone.")]
    private static partial void LogUnbatchedEstimate(ILogger logger, double overheadMs);
}
