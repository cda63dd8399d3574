using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using global::InferenceService;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MicroBatching.Samples.Tests.InferenceService;

/// <summary>The inference service through HTTP: batching, bad input, back-pressure, drain, metrics and traces.</summary>
public sealed class InferenceServiceTests
{
    private static readonly string[] s_reviews =
    [
        "the battery lasts all day", "the screen cracked in a week", "fast shipping and a fair price", "it stopped charging",
        "my kids love it", "the worst purchase this year", "works exactly as described", "the manual is useless",
    ];

    [Fact]
    public async Task ConcurrentRequestsAreScoredInOneBatchAndEachGetsTheScoreOfItsOwnText()
    {
        await using var service = new InferenceServiceFactory();
        HttpClient client = service.CreateClient();

        Task<HttpResponseMessage>[] requests = [.. s_reviews.Select(text => client.PostAsJsonAsync("/v1/sentiment", new TextRequest(text)))];
        HttpResponseMessage[] responses = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(30));

        ReviewModel model = service.Services.GetRequiredService<ReviewModel>();
        for (int i = 0; i < s_reviews.Length; i++)
        {
            Assert.Equal(HttpStatusCode.OK, responses[i].StatusCode);
            SentimentResponse? answer = await responses[i].Content.ReadFromJsonAsync<SentimentResponse>();
            float expected = model.Score([model.Tokenize(s_reviews[i])])[0];
            Assert.Equal(expected, answer!.Score, tolerance: 1e-5f);
            Assert.Equal(expected >= 0.5f ? "positive" : "negative", answer.Label);
        }

        MicroBatcherStatistics statistics = service.Scorer.GetStatistics();
        Assert.Equal((1, 8), (statistics.BatchesDispatched, statistics.ItemsBatched));
    }

    [Fact]
    public async Task AReviewGoesThroughThePipelineAndSpamIsFlagged()
    {
        await using var service = new InferenceServiceFactory();
        HttpClient client = service.CreateClient();

        Task<HttpResponseMessage> spam = client.PostAsJsonAsync("/v1/reviews:analyze", new TextRequest("BUY NOW!!! http://cheap.example"));
        Task<HttpResponseMessage> honest = client.PostAsJsonAsync("/v1/reviews:analyze", new TextRequest("the battery lasts all day"));
        // The pipeline's nodes wait for more reviews until the clock moves.
        await PumpClockUntilAsync(service, Task.WhenAll(spam, honest));

        ReviewVerdict? spamVerdict = await (await spam).Content.ReadFromJsonAsync<ReviewVerdict>();
        ReviewVerdict? honestVerdict = await (await honest).Content.ReadFromJsonAsync<ReviewVerdict>();
        Assert.Equal(("spam", true), (spamVerdict!.Label, spamVerdict.Spam));
        Assert.False(honestVerdict!.Spam);
        Assert.Contains(honestVerdict.Label, new[] { "positive", "negative" });
        Assert.True(honestVerdict.Tokens > 0);
    }

    public static TheoryData<string, string> InvalidTexts => new()
    {
        { """{ "text": "" }""", "text must not be empty." },
        { """{ "text": "   " }""", "text must not be empty." },
        { """{ }""", "text is required." },
        { $$"""{ "text": "{{new string('a', InferenceServiceFactory.MaxTextLength + 1)}}" }""", "the most accepted is 200" },
    };

    [Theory]
    [MemberData(nameof(InvalidTexts))]
    public async Task AnInvalidTextIsA400WithTheFieldAtFault(string body, string message)
    {
        await using var service = new InferenceServiceFactory();

        foreach (string endpoint in new[] { "/v1/sentiment", "/v1/reviews:analyze" })
        {
            HttpResponseMessage response = await service.CreateClient().PostAsync(endpoint, Json(body));

            JsonElement problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains(message, problem.GetProperty("errors").GetProperty("text")[0].GetString());
        }
    }

    [Fact]
    public async Task MalformedJsonIsA400ProblemAndReachesNoBatcher()
    {
        await using var service = new InferenceServiceFactory();

        HttpResponseMessage response = await service.CreateClient().PostAsync("/v1/sentiment", Json("""{ "text": """));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.DoesNotContain(service.Registry.GetBatchers(), batcher => batcher.GetStatistics().ItemsBatched > 0);
    }

    [Fact]
    public async Task AnOversizedBodyIsA400ProblemWhetherItsLengthIsDeclaredOrChunked()
    {
        await using var service = new InferenceServiceFactory();
        string body = $$"""{ "text": "{{new string('a', InferenceServiceFactory.MaxRequestBodyBytes)}}" }""";

        HttpResponseMessage declared = await service.CreateClient().PostAsync("/v1/sentiment", Json(body));
        var chunkedContent = new StreamContent(new NoLengthStream(Encoding.UTF8.GetBytes(body)));
        chunkedContent.Headers.ContentType = new("application/json");
        HttpResponseMessage chunked = await service.CreateClient().PostAsync("/v1/sentiment", chunkedContent);

        foreach (HttpResponseMessage response in new[] { declared, chunked })
        {
            JsonElement problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("The request body is too large.", problem.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task AFullQueueIsA503WithRetryAfterAndEveryAcceptedRequestIsAnswered()
    {
        // appsettings.json rejects when the queue is full; the queue here holds 4.
        await using var service = new InferenceServiceFactory(new()
        {
            [$"MicroBatching:Batchers:{InferenceServiceFactory.ScorerName}:QueueCapacity"] = "4",
        });
        HttpClient client = service.CreateClient();
        Task<HttpResponseMessage>[] accepted = [.. s_reviews.Take(4).Select(text => client.PostAsJsonAsync("/v1/sentiment", new TextRequest(text)))];
        await service.UntilPendingAsync(4);

        HttpResponseMessage rejected = await client.PostAsJsonAsync("/v1/sentiment", new TextRequest("one too many"));

        JsonElement problem = await AssertProblemAsync(rejected, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(["1"], rejected.Headers.GetValues("Retry-After"));
        Assert.Contains("queue", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);

        service.Clock.Advance(TimeSpan.FromSeconds(30));
        HttpResponseMessage[] answers = await Task.WhenAll(accepted).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        MicroBatcherStatistics statistics = service.Scorer.GetStatistics();
        Assert.Equal((4, 1, 0), (statistics.ItemsSucceeded, statistics.ItemsRejected, statistics.PendingItems));
    }

    [Fact]
    public async Task StoppingTheServiceAnswersTheRequestsItHasAlreadyReceived()
    {
        await using var service = new InferenceServiceFactory();
        HttpClient client = service.CreateClient();
        Task<HttpResponseMessage>[] inFlight = [.. s_reviews.Take(3).Select(text => client.PostAsJsonAsync("/v1/sentiment", new TextRequest(text)))];
        await service.UntilPendingAsync(3);
        IMicroBatcher scorer = service.Scorer;

        // The clock never reaches the batch's deadline: only the drain on stop can send it.
        await service.Services.GetRequiredService<IHost>().StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        HttpResponseMessage[] answers = await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        MicroBatcherStatistics statistics = scorer.GetStatistics();
        Assert.Equal((3, 0, 1), (statistics.ItemsSucceeded, statistics.PendingItems, statistics.BatchesDispatched));
    }

    [Fact]
    public async Task ThePrometheusEndpointShowsTheBatchersSeriesByName()
    {
        await using var service = new InferenceServiceFactory();
        HttpClient client = service.CreateClient();
        await Task.WhenAll(s_reviews.Select(text => client.PostAsJsonAsync("/v1/sentiment", new TextRequest(text))));

        string metrics = await client.GetStringAsync("/metrics");

        string scorer = $"microbatching_batcher_name=\"{InferenceServiceFactory.ScorerName}\"";
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("microbatching_items_total{", StringComparison.Ordinal) &&
            line.Contains(scorer, StringComparison.Ordinal) && line.Contains("microbatching_outcome=\"success\"", StringComparison.Ordinal) &&
            line.EndsWith(" 8", StringComparison.Ordinal));
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("microbatching_batches_total{", StringComparison.Ordinal) &&
            line.Contains("microbatching_dispatch_reason=\"size\"", StringComparison.Ordinal));
        Assert.Contains("microbatching_items_pending{", metrics);
        Assert.Contains("microbatching_batch_size_", metrics);
    }

    [Fact]
    public async Task TheBatchTraceLinksToTheTraceOfEveryRequestInIt()
    {
        await using var service = new InferenceServiceFactory();
        HttpClient client = service.CreateClient();
        await Task.WhenAll(s_reviews.Select(text => client.PostAsJsonAsync("/v1/sentiment", new TextRequest(text))));

        System.Diagnostics.Activity[] activities;
        lock (service.Activities)
        {
            activities = [.. service.Activities];
        }

        System.Diagnostics.Activity batch = Assert.Single(activities, activity => activity.Source.Name == MicroBatchingDiagnostics.ActivitySourceName);
        var requestTraces = activities.Where(activity => activity.Source.Name == "Microsoft.AspNetCore").Select(activity => activity.TraceId).ToHashSet();
        Assert.Equal(8, requestTraces.Count);
        Assert.Equal(requestTraces, batch.Links.Select(link => link.Context.TraceId).ToHashSet());
    }

    [Fact]
    public async Task EditingTheSettingsFileChangesTheNextBatchWithoutARestart()
    {
        string directory = Directory.CreateTempSubdirectory("inference-service-").FullName;
        string path = Path.Combine(directory, "live.json");
        try
        {
            await File.WriteAllTextAsync(path, "{}");
            await using var service = new InferenceServiceFactory(reloadableSettingsFile: path);
            HttpClient client = service.CreateClient();
            await Task.WhenAll(s_reviews.Select(text => client.PostAsJsonAsync("/v1/sentiment", new TextRequest(text))));
            Assert.Equal(InferenceServiceFactory.BatchSize, service.Scorer.GetOptions().MaxBatchSize);

            await File.WriteAllTextAsync(path, $$"""{ "MicroBatching": { "Batchers": { "{{InferenceServiceFactory.ScorerName}}": { "MaxBatchSize": 2 } } } }""");
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                while (service.Scorer.GetOptions().MaxBatchSize != 2)
                {
                    await Task.Delay(20, timeout.Token);
                }
            }

            // Two requests now fill a batch: they are answered without the clock moving.
            HttpResponseMessage[] answers = await Task.WhenAll(s_reviews.Take(2).Select(text => client.PostAsJsonAsync("/v1/sentiment", new TextRequest(text))))
                .WaitAsync(TimeSpan.FromSeconds(30));
            Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
            Assert.Equal((2, 10), (service.Scorer.GetStatistics().BatchesDispatched, service.Scorer.GetStatistics().ItemsBatched));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task TheHealthEndpointAnswers()
    {
        await using var service = new InferenceServiceFactory();

        HttpResponseMessage response = await service.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    // The pipeline's nodes batch by time as well; moves the fake clock until the requests are answered.
    private static async Task PumpClockUntilAsync(InferenceServiceFactory service, Task requests)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!requests.IsCompleted)
        {
            service.Clock.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(5, timeout.Token);
        }

        await requests;
    }

    private sealed class NoLengthStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
