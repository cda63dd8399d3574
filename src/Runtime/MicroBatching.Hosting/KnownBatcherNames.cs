using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace MicroBatching.Hosting;

/// <summary>
/// The batcher and graph names the application has: those its assemblies declare with <see cref="MicroBatcherNameAttribute"/>
/// (the generator declares every generated batcher, DAG node and graph), and those registered with
/// <c>AddMicroBatcher</c>. Configuration for any other name is a misspelling, refused at start-up.
/// </summary>
internal sealed class KnownBatcherNames
{
    private readonly HashSet<string> _registered = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A batcher registered in the container by name.</summary>
    public void AddRegistered(string name)
    {
        lock (_registered)
        {
            _registered.Add(name);
        }
    }

    /// <summary>
    /// Reads the declarations of the loaded assemblies and of those the entry assembly references. <c>Unmeasured</c> holds
    /// the declared batchers known not to measure their items, which therefore cannot take a cost bound.
    /// </summary>
    public (HashSet<string> Batchers, HashSet<string> Graphs, HashSet<string> Unmeasured) Collect()
    {
        var batchers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var graphs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var unmeasured = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var measured = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        lock (_registered)
        {
            batchers.UnionWith(_registered);

            // What a batcher registered by hand measures is only known when it is created.
            measured.UnionWith(_registered);
        }

        foreach (Assembly assembly in Assemblies())
        {
            foreach (MicroBatcherNameAttribute declared in assembly.GetCustomAttributes<MicroBatcherNameAttribute>())
            {
                (declared.IsGraph ? graphs : batchers).Add(declared.Name);
                if (!declared.IsGraph)
                {
                    (declared.HasItemCost ? measured : unmeasured).Add(declared.Name);
                }
            }
        }

        unmeasured.ExceptWith(measured);
        return (batchers, graphs, unmeasured);
    }

    // The loaded assemblies, and the entry assembly's references that are not loaded yet: a library whose batched types
    // have not been used before the host starts still counts.
    [UnconditionalSuppressMessage("Trimming", "IL2026",
        Justification = "A referenced assembly that trimming removed holds no batcher the application can create, so its names are rightly unknown.")]
    private static IEnumerable<Assembly> Assemblies()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsDynamic && seen.Add(assembly.FullName ?? ""))
            {
                yield return assembly;
            }
        }

        foreach (AssemblyName reference in Assembly.GetEntryAssembly()?.GetReferencedAssemblies() ?? [])
        {
            if (seen.Contains(reference.FullName))
            {
                continue;
            }

            Assembly? loaded;
            try
            {
                loaded = Assembly.Load(reference);
            }
            catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                loaded = null;
            }

            if (loaded is not null && seen.Add(loaded.FullName ?? ""))
            {
                yield return loaded;
            }
        }
    }
}
