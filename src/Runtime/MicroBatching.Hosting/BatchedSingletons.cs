using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace MicroBatching.Hosting;

/// <summary>
/// Finds the container's singleton services whose types have generated batchers (<see cref="GeneratedMicroBatchersAttribute"/>)
/// and attaches them to the host's registry, so each host applies its own settings and drains its own batchers.
/// </summary>
/// <remarks>
/// Holds the service collection itself, not a copy, so registrations made after <c>AddMicroBatching</c> count too. The
/// type is read from the registration: its implementation type or instance, else its service type, so a factory
/// registered under an interface is not found. Of several registrations for one service type (and key), the one that
/// injection resolves, the last, is attached. Attach any other object with <see cref="MicroBatcherRegistry.Attach"/>.
/// </remarks>
internal sealed class BatchedSingletons(IServiceCollection services)
{
    /// <summary>Resolves the singletons with generated batchers (creating them) and attaches them to <paramref name="registry"/>.</summary>
    public int AttachAll(IServiceProvider provider, MicroBatcherRegistry registry)
    {
        int attached = 0;
        var seen = new HashSet<(Type ServiceType, object? Key)>();
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.Lifetime != ServiceLifetime.Singleton || descriptor.ServiceType.ContainsGenericParameters ||
                !HasGeneratedBatchers(RegisteredType(descriptor)) || !seen.Add((descriptor.ServiceType, descriptor.ServiceKey)))
            {
                continue;
            }

            // The registration that injection resolves: the last one for its service type and key.
            object? instance = descriptor.IsKeyedService
                ? (provider as IKeyedServiceProvider)?.GetKeyedService(descriptor.ServiceType, descriptor.ServiceKey)
                : provider.GetService(descriptor.ServiceType);
            if (instance is not null && HasGeneratedBatchers(instance.GetType()))
            {
                registry.Attach(instance);
                attached++;
            }
        }

        return attached;
    }

    private static Type RegisteredType(ServiceDescriptor descriptor) => descriptor.IsKeyedService
        ? descriptor.KeyedImplementationInstance?.GetType() ?? descriptor.KeyedImplementationType ?? descriptor.ServiceType
        : descriptor.ImplementationInstance?.GetType() ?? descriptor.ImplementationType ?? descriptor.ServiceType;

    private static bool HasGeneratedBatchers(Type type) => type.IsDefined(typeof(GeneratedMicroBatchersAttribute), inherit: true);
}
