using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>An input of a graph: a node parameter that names no node.</summary>
internal sealed class DagInput(string name, ITypeSymbol type)
{
    public string Name { get; } = name;

    public ITypeSymbol Type { get; } = type;
}

/// <summary>
/// A <c>[BatchDag]</c> class read as a graph: its nodes, the edges between them (a parameter named like a node,
/// case-insensitively), its inputs (in order of first appearance), its outputs, and what is wrong with it. The generator
/// emits an executor only for a graph without errors; the analyzers report the problems.
/// </summary>
internal sealed class DagGraph
{
    private DagGraph(INamedTypeSymbol type, int maxParallelism, int streamWindow)
    {
        Type = type;
        MaxParallelism = maxParallelism;
        StreamWindow = streamWindow;
    }

    public INamedTypeSymbol Type { get; }

    public int MaxParallelism { get; }

    public int StreamWindow { get; }

    /// <summary>The valid nodes, in declaration order.</summary>
    public List<DagNodeShape> Nodes { get; } = [];

    /// <summary>The nodes some output depends on, dependencies first; empty when the graph has a cycle.</summary>
    public List<DagNodeShape> Needed { get; } = [];

    public List<DagInput> Inputs { get; } = [];

    public List<DagNodeShape> Outputs { get; } = [];

    public List<DagProblem> Problems { get; } = [];

    public bool HasErrors => Problems.Any(p => p.IsError);

    // Whether any [DagNode] says Output = true, valid or not: an invalid output node is reported as itself, not as a missing output.
    private bool _anyOutputMarked;

    public static DagGraph Create(INamedTypeSymbol type, AttributeData dagAttribute, CancellationToken cancellationToken)
    {
        (int maxParallelism, int streamWindow) = Settings(dagAttribute);
        var graph = new DagGraph(type, maxParallelism, streamWindow);
        if (!PartialDeclarations.IsPartialWithContainingTypes(type, cancellationToken))
        {
            graph.Problems.Add(new DagProblem(DagProblemKind.NotPartial, type, type.Name));
        }

        graph.ReadNodes();
        graph.ResolveEdges();
        if (!graph._anyOutputMarked)
        {
            graph.Problems.Add(new DagProblem(DagProblemKind.NoOutput, type, type.Name));
        }

        if (!graph.FindCycle())
        {
            graph.OrderNeededNodes();
        }

        return graph;
    }

    private static (int MaxParallelism, int StreamWindow) Settings(AttributeData attribute)
    {
        int maxParallelism = 10, streamWindow = 1024;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == "MaxParallelism" && argument.Value.Value is int parallelism)
            {
                maxParallelism = parallelism;
            }
            else if (argument.Key == "StreamWindow" && argument.Value.Value is int window)
            {
                streamWindow = window;
            }
        }

        return (maxParallelism, streamWindow);
    }

    private void ReadNodes()
    {
        var names = new Dictionary<string, DagNodeShape>(StringComparer.OrdinalIgnoreCase);
        foreach (IMethodSymbol method in Type.GetMembers().OfType<IMethodSymbol>())
        {
            if (DagNodeSettings.Find(method) is not { } attribute)
            {
                continue;
            }

            DagNodeSettings settings = DagNodeSettings.From(attribute);
            _anyOutputMarked |= settings.Output;
            CheckSettings(method, settings);
            if (DagNodeShape.TryCreate(method, settings) is not { } node)
            {
                Problems.Add(new DagProblem(DagProblemKind.InvalidNode, method, method.Name));
                continue;
            }

            if (names.TryGetValue(method.Name, out DagNodeShape? other))
            {
                Problems.Add(new DagProblem(DagProblemKind.AmbiguousNodeName, method, other.Name, method.Name));
                continue;
            }

            names.Add(method.Name, node);
            Nodes.Add(node);
            if (settings.Output)
            {
                Outputs.Add(node);
            }
        }
    }

    private void CheckSettings(IMethodSymbol method, DagNodeSettings settings)
    {
        if (settings.MaxSize is < 1 or > MicroBatchDefaults.MaxBatchSizeLimit)
        {
            Problems.Add(new DagProblem(DagProblemKind.InvalidSetting, method, "MaxSize", settings.MaxSize.ToString()));
        }

        if (settings.MaxWaitMs < 0)
        {
            Problems.Add(new DagProblem(DagProblemKind.InvalidSetting, method, "MaxWaitMs", settings.MaxWaitMs.ToString()));
        }

        if (settings.MaxConcurrency < 1)
        {
            Problems.Add(new DagProblem(DagProblemKind.InvalidSetting, method, "MaxConcurrency", settings.MaxConcurrency.ToString()));
        }
    }

    private void ResolveEdges()
    {
        var byName = Nodes.ToDictionary(n => n.Name, StringComparer.OrdinalIgnoreCase);
        var inputs = new Dictionary<string, DagInput>(StringComparer.Ordinal);
        foreach (DagNodeShape node in Nodes)
        {
            foreach (DagArgumentShape argument in node.Arguments)
            {
                string name = argument.Parameter.Name;
                if (byName.TryGetValue(name, out DagNodeShape? producer))
                {
                    argument.Producer = producer;
                    if (!IsAssignable(producer.ResultType, argument.ElementType))
                    {
                        Problems.Add(new DagProblem(DagProblemKind.EdgeTypeMismatch, node.Method,
                            name, producer.Name, producer.ResultType.ToDisplayString(), argument.ElementType.ToDisplayString()));
                    }
                }
                else if (inputs.TryGetValue(name, out DagInput? input))
                {
                    if (!SymbolEqualityComparer.Default.Equals(input.Type, argument.ElementType))
                    {
                        Problems.Add(new DagProblem(DagProblemKind.InputTypeConflict, node.Method,
                            name, input.Type.ToDisplayString(), argument.ElementType.ToDisplayString()));
                    }
                }
                else
                {
                    inputs.Add(name, new DagInput(name, argument.ElementType));
                    Inputs.Add(inputs[name]);
                }
            }
        }
    }

    // Identity, or a reference conversion to a base type or an interface: what the generated code can pass along
    // without converting each value (IReadOnlyList<T> and IEnumerable<T> are covariant).
    private static bool IsAssignable(ITypeSymbol from, ITypeSymbol to)
    {
        if (SymbolEqualityComparer.Default.Equals(from, to))
        {
            return true;
        }

        if (!from.IsReferenceType || !to.IsReferenceType)
        {
            return false;
        }

        if (to.SpecialType == SpecialType.System_Object)
        {
            return true;
        }

        for (ITypeSymbol? current = from.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, to))
            {
                return true;
            }
        }

        return from.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, to));
    }

    // Reports the first cycle found, as "A → B → A", on its first node; true if there is one.
    private bool FindCycle()
    {
        var state = new Dictionary<DagNodeShape, int>(); // 1: on the current path, 2: done
        var path = new List<DagNodeShape>();
        foreach (DagNodeShape node in Nodes)
        {
            if (Visit(node))
            {
                return true;
            }
        }

        return false;

        bool Visit(DagNodeShape node)
        {
            if (state.TryGetValue(node, out int seen))
            {
                if (seen == 1)
                {
                    int start = path.IndexOf(node);
                    string cycle = string.Join(" → ", path.Skip(start).Select(n => n.Name).Concat([node.Name]));
                    Problems.Add(new DagProblem(DagProblemKind.Cycle, node.Method, cycle));
                    return true;
                }

                return false;
            }

            state[node] = 1;
            path.Add(node);
            foreach (DagArgumentShape argument in node.Arguments)
            {
                if (argument.Producer is { } producer && Visit(producer))
                {
                    return true;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return false;
        }
    }

    // The nodes the outputs depend on, each after its dependencies; the others are reported as unused.
    private void OrderNeededNodes()
    {
        var needed = new HashSet<DagNodeShape>();
        foreach (DagNodeShape output in Outputs)
        {
            Add(output);
        }

        if (Outputs.Count > 0)
        {
            foreach (DagNodeShape node in Nodes.Where(n => !needed.Contains(n)))
            {
                Problems.Add(new DagProblem(DagProblemKind.UnusedNode, node.Method, node.Name));
            }
        }

        void Add(DagNodeShape node)
        {
            if (!needed.Add(node))
            {
                return;
            }

            foreach (DagArgumentShape argument in node.Arguments)
            {
                if (argument.Producer is { } producer)
                {
                    Add(producer);
                }
            }

            Needed.Add(node);
        }
    }
}
