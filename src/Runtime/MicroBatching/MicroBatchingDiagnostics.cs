namespace MicroBatching;

/// <summary>Names under which micro-batchers publish metrics and traces, for OpenTelemetry or any other listener.</summary>
/// <example>
/// <code>
/// builder.Services.AddOpenTelemetry()
///     .WithMetrics(m => m.AddMeter(MicroBatchingDiagnostics.MeterName))
///     .WithTracing(t => t.AddSource(MicroBatchingDiagnostics.ActivitySourceName));
/// </code>
/// </example>
public static class MicroBatchingDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name of every batcher's instruments.</summary>
    public const string MeterName = "MicroBatching";

    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name; one activity per call of a batch function, linked to its callers' activities.</summary>
    public const string ActivitySourceName = "MicroBatching";
}
