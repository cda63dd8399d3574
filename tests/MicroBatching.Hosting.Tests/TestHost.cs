using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Hosting.Tests;

/// <summary>
/// A host configured from an appsettings.json text, with a fake clock, fake logging and its own registry. Disposed
/// asynchronously, as a container holding batchers must be.
/// </summary>
internal sealed class TestHost(IHost host) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public FakeTimeProvider Clock => (FakeTimeProvider)host.Services.GetRequiredService<TimeProvider>();

    public MicroBatcherRegistry Registry => host.Services.GetRequiredService<MicroBatcherRegistry>();

    public static TestHost Build(string appSettingsJson, Action<IServiceCollection>? configure = null, MicroBatcherRegistry? registry = null) =>
        Build(configuration => configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(appSettingsJson))), configure, registry);

    public static TestHost Build(Action<IConfigurationBuilder> configuration, Action<IServiceCollection>? configure = null, MicroBatcherRegistry? registry = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        configuration(builder.Configuration);
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        builder.Logging.AddFakeLogging();
        builder.Services.AddSingleton(registry ?? new MicroBatcherRegistry());
        builder.Services.AddMicroBatching();
        configure?.Invoke(builder.Services);
        return new TestHost(builder.Build());
    }

    public IConfigurationRoot Configuration => (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();

    public Task StartAsync() => host.StartAsync();

    public Task StopAsync() => host.StopAsync();

    public ValueTask DisposeAsync() => ((IAsyncDisposable)host).DisposeAsync();
}

internal static class TaskTimeouts
{
    public static async Task<T> WithTimeout<T>(this Task<T> task) => await task.WaitAsync(TimeSpan.FromSeconds(30));

    public static Task<T> WithTimeout<T>(this ValueTask<T> task) => task.AsTask().WithTimeout();

    public static async Task WithTimeout(this Task task) => await task.WaitAsync(TimeSpan.FromSeconds(30));
}
