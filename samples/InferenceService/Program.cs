// An inference service: ASP.NET Core in front of an ONNX model. Concurrent requests are scored together, in batches,
// by a [MicroBatched] method and a [BatchDag] pipeline. Settings are in appsettings.json and reload without a restart;
// metrics and traces go through OpenTelemetry, with a Prometheus endpoint; stopping the service drains the batchers.
using InferenceService;
using MicroBatching;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

builder.Services.Configure<ModelSettings>(builder.Configuration.GetSection(ModelSettings.SectionName));
builder.Services.AddSingleton(provider => new ReviewModel(provider.GetRequiredService<IOptions<ModelSettings>>().Value));
builder.Services.AddSingleton<SentimentScorer>();
builder.Services.AddSingleton<ReviewAnalysis>();
builder.Services.AddMicroBatching();

builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<Problems.Malformed>();
builder.Services.AddExceptionHandler<Problems.Overloaded>();

builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("InferenceService"))
    .WithMetrics(metrics => metrics
        .AddMeter(MicroBatchingDiagnostics.MeterName)
        .AddAspNetCoreInstrumentation()
        .AddPrometheusExporter())
    .WithTracing(tracing =>
    {
        tracing.AddSource(MicroBatchingDiagnostics.ActivitySourceName).AddAspNetCoreInstrumentation();
        if (builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is not null)
        {
            tracing.AddOtlpExporter();
        }
    });

WebApplication app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestBodyLimit>();

app.MapPost("/v1/sentiment", async (TextRequest request, SentimentScorer scorer, IOptions<ModelSettings> settings, CancellationToken cancellationToken) =>
{
    if (Problems.ValidateText(request, settings.Value) is { } invalid)
    {
        return invalid;
    }

    float score = await scorer.ScoreAsync(request.Text!, cancellationToken);
    return Results.Ok(new SentimentResponse(score, Labels.Of(score)));
});

app.MapPost("/v1/reviews:analyze", async (TextRequest request, ReviewAnalysis analysis, IOptions<ModelSettings> settings, CancellationToken cancellationToken) =>
{
    if (Problems.ValidateText(request, settings.Value) is { } invalid)
    {
        return invalid;
    }

    return Results.Ok(await analysis.ExecuteAsync(request.Text!, cancellationToken));
});

app.MapGet("/healthz", () => Results.Ok(new { status = "healthy" }));
app.MapPrometheusScrapingEndpoint();

if (app.Services.GetRequiredService<IOptions<ModelSettings>>().Value.MeasureAtStartup)
{
    ModelTiming.Log(app.Logger, ModelTiming.Measure(app.Services.GetRequiredService<ReviewModel>()));
}

app.Run();

/// <summary>The service's entry point; public so that integration tests can host it.</summary>
public partial class Program;
