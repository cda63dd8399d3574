using System.Runtime.CompilerServices;
using MicroBatching;
using MicroBatching.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers MicroBatching with a <see cref="IServiceCollection"/>.</summary>
public static class MicroBatchingServiceCollectionExtensions
{
    /// <summary>
    /// Configures every batcher, generated ones included, from the <c>MicroBatching</c> section of the application's
    /// configuration, gives them the application's logging and <see cref="TimeProvider"/> (when one is registered), and
    /// drains them when the host stops. Settings are validated when the host starts. When the configuration reloads
    /// (<c>reloadOnChange</c>), valid new settings apply to every batcher from its next batch, and invalid ones are logged
    /// and ignored. Calling it again is harmless.
    /// </summary>
    /// <remarks>
    /// Each container gets a <see cref="MicroBatcherRegistry"/> of its own, unless one was registered before. When the host
    /// starts, its singleton services whose types have generated batchers are resolved and attached to that registry, so
    /// two hosts in one process never share settings, logging or drains. Objects created outside the container, and
    /// static batch methods, use <see cref="MicroBatcherRegistry.Default"/>; attach such an object to the host's registry
    /// with <see cref="MicroBatcherRegistry.Attach"/>, or register <see cref="MicroBatcherRegistry.Default"/> as the
    /// container's registry in a single-host application.
    /// </remarks>
    public static IServiceCollection AddMicroBatching(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(MicroBatchingMarker)))
        {
            return services;
        }

        services.AddSingleton<MicroBatchingMarker>();
        services.TryAddSingleton(_ => new MicroBatcherRegistry());
        services.AddSingleton(new BatchedSingletons(services));
        services.AddSingleton(new KnownBatcherNames());
        services.AddOptions<MicroBatchingOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<MicroBatchingOptions>>(provider =>
            new BindMicroBatchingSection(provider.GetService<IConfiguration>()?.GetSection(MicroBatchingOptions.SectionName)));
        services.AddSingleton<IOptionsChangeTokenSource<MicroBatchingOptions>>(provider =>
            new MicroBatchingChangeTokenSource(provider.GetService<IConfiguration>()));
        services.AddSingleton<MicroBatchingOptionsValidator>();
        services.AddSingleton<IValidateOptions<MicroBatchingOptions>>(provider => provider.GetRequiredService<MicroBatchingOptionsValidator>());
        services.AddSingleton<LiveSettings>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MicroBatchingHostedService>());
        return services;
    }

    /// <summary>
    /// Like <see cref="AddMicroBatching(IServiceCollection)"/>, and also binds <paramref name="configuration"/>, a section
    /// shaped like <see cref="MicroBatchingOptions"/>. Keys that match no setting are an error.
    /// </summary>
    public static IServiceCollection AddMicroBatching(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMicroBatching();
        services.AddSingleton<IConfigureOptions<MicroBatchingOptions>>(new BindMicroBatchingSection(configuration));
        services.AddSingleton<IOptionsChangeTokenSource<MicroBatchingOptions>>(new MicroBatchingChangeTokenSource(configuration));
        return services;
    }

    /// <summary>Like <see cref="AddMicroBatching(IServiceCollection)"/>, and also adjusts the settings in code, after configuration.</summary>
    public static IServiceCollection AddMicroBatching(this IServiceCollection services, Action<MicroBatchingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddMicroBatching();
        services.Configure(configure);
        return services;
    }

    /// <summary>
    /// Registers a named singleton <see cref="MicroBatcher{TItem, TResult}"/> as a keyed service (key: <paramref name="name"/>),
    /// and as the unkeyed one for its item and result types if none is registered yet. Its options are
    /// <paramref name="configure"/>'s, then the configuration's for that name; the container disposes (drains) it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The batcher's name, in configuration, metrics, traces and logs.</param>
    /// <param name="batchFunction">
    /// Runs one batch; it receives the root service provider, so a function that needs scoped services creates a scope.
    /// </param>
    /// <param name="configure">Sets the batcher's options in code.</param>
    [OverloadResolutionPriority(1)]
    public static IServiceCollection AddMicroBatcher<TItem, TResult>(
        this IServiceCollection services,
        string name,
        Func<IServiceProvider, IReadOnlyList<TItem>, CancellationToken, ValueTask<IReadOnlyList<TResult>>> batchFunction,
        Action<MicroBatchOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(batchFunction);
        services.AddMicroBatching();
        ((KnownBatcherNames)services.First(descriptor => descriptor.ServiceType == typeof(KnownBatcherNames)).ImplementationInstance!).AddRegistered(name);
        services.AddKeyedSingleton(name, (provider, _) =>
        {
            var options = new MicroBatchOptions();
            configure?.Invoke(options);
            options.Name = name;

            // Attached here as well as when the host starts, so a batcher resolved before then is configured too.
            provider.GetRequiredService<LiveSettings>().Attach();
            return provider.GetRequiredService<MicroBatcherRegistry>().Create<TItem, TResult>(
                (items, cancellationToken) => batchFunction(provider, items, cancellationToken), options);
        });
        services.TryAddSingleton(provider => provider.GetRequiredKeyedService<MicroBatcher<TItem, TResult>>(name));
        return services;
    }

    /// <summary>Like the <see cref="ValueTask{TResult}"/> overload, for a <see cref="Task{TResult}"/>-returning batch function, as most APIs are.</summary>
    /// <inheritdoc cref="AddMicroBatcher{TItem, TResult}(IServiceCollection, string, Func{IServiceProvider, IReadOnlyList{TItem}, CancellationToken, ValueTask{IReadOnlyList{TResult}}}, Action{MicroBatchOptions}?)"/>
    public static IServiceCollection AddMicroBatcher<TItem, TResult>(
        this IServiceCollection services,
        string name,
        Func<IServiceProvider, IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> batchFunction,
        Action<MicroBatchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(batchFunction);
        return services.AddMicroBatcher<TItem, TResult>(name,
            (provider, items, cancellationToken) => new ValueTask<IReadOnlyList<TResult>>(batchFunction(provider, items, cancellationToken)), configure);
    }

    private sealed class MicroBatchingMarker;
}
