using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;

namespace MicroBatching.Samples.Tests.InferenceService;

/// <summary>
/// The inference service in a test server, with a small model, a fake clock for its batchers, and its traces kept in
/// memory. The scorer's batch closes at <see cref="BatchSize"/> items and otherwise waits until the test moves the clock.
/// </summary>
public sealed class InferenceServiceFactory : WebApplicationFactory<Program>
{
    public const string ScorerName = "InferenceService.SentimentScorer.ScoreBatch";
    public const int BatchSize = 8;
    public const int QueueCapacity = 64;
    public const int MaxTextLength = 200;
    public const int MaxRequestBodyBytes = 1024;

    private readonly Dictionary<string, string?> _settings;
    private readonly string? _reloadableSettingsFile;

    public InferenceServiceFactory(Dictionary<string, string?>? settings = null, string? reloadableSettingsFile = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Model:HiddenLayers:0"] = "64",
            ["Model:HiddenLayers:1"] = "64",
            ["Model:MeasureAtStartup"] = "false",
            ["Model:MaxTextLength"] = $"{MaxTextLength}",
            ["Model:MaxRequestBodyBytes"] = $"{MaxRequestBodyBytes}",
            [$"MicroBatching:Batchers:{ScorerName}:MaxBatchSize"] = $"{BatchSize}",
            [$"MicroBatching:Batchers:{ScorerName}:MaxWaitTime"] = "00:00:30",
            // The service dispatches a lone request at once; here a batch leaves only when full, on the clock, or on stop.
            [$"MicroBatching:Batchers:{ScorerName}:DispatchMode"] = "Timed",
            [$"MicroBatching:Batchers:{ScorerName}:QueueCapacity"] = $"{QueueCapacity}",
        };
        foreach ((string key, string? value) in settings ?? [])
        {
            _settings[key] = value;
        }

        _reloadableSettingsFile = reloadableSettingsFile;
    }

    public FakeTimeProvider Clock { get; } = new();

    public List<Activity> Activities { get; } = [];

    public MicroBatcherRegistry Registry => Services.GetRequiredService<MicroBatcherRegistry>();

    /// <summary>The scorer's batcher, once the first request has created it.</summary>
    public IMicroBatcher Scorer => Registry.GetBatchers().Single(batcher => batcher.Name == ScorerName);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration((_, configuration) =>
        {
            configuration.AddInMemoryCollection(_settings);
            if (_reloadableSettingsFile is not null)
            {
                configuration.AddJsonFile(_reloadableSettingsFile, optional: false, reloadOnChange: true);
            }
        });
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Activities));
        });
    }

    /// <summary>Waits until <paramref name="count"/> items wait in the scorer's queue: requests that reached the batcher.</summary>
    public async Task UntilPendingAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Registry.GetBatchers().SingleOrDefault(batcher => batcher.Name == ScorerName)?.GetStatistics().PendingItems != count)
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
