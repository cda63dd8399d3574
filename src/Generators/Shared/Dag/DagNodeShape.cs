using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>One parameter of a DAG node: where its values come from, and how the node takes them.</summary>
internal sealed class DagArgumentShape
{
    public DagArgumentShape(IParameterSymbol parameter, ITypeSymbol elementType, ItemListKind listKind)
    {
        Parameter = parameter;
        ElementType = elementType;
        ListKind = listKind;
    }

    public IParameterSymbol Parameter { get; }

    /// <summary>The type of one value: the list's element type for a list node, the parameter's type for a single-item one.</summary>
    public ITypeSymbol ElementType { get; }

    public ItemListKind ListKind { get; }

    /// <summary>The node whose output the parameter consumes; <see langword="null"/> when it is an input of the graph.</summary>
    public DagNodeShape? Producer { get; set; }
}

/// <summary>
/// A <c>[DagNode]</c> method as the graph sees it: list-to-list (every parameter a list, one result per item) or
/// single-item (plain parameters and result), directly or through <c>Task</c> or <c>ValueTask</c>.
/// </summary>
internal sealed class DagNodeShape
{
    private DagNodeShape(IMethodSymbol method, bool isList, IReadOnlyList<DagArgumentShape> arguments, bool hasCancellationToken,
        ReturnAwaitKind awaitKind, ResultCollectionKind resultKind, ITypeSymbol resultType, DagNodeSettings settings)
    {
        Method = method;
        IsList = isList;
        Arguments = arguments;
        HasCancellationToken = hasCancellationToken;
        ReturnAwaitKind = awaitKind;
        ResultCollectionKind = resultKind;
        ResultType = resultType;
        Settings = settings;
    }

    public IMethodSymbol Method { get; }

    public string Name => Method.Name;

    public bool IsList { get; }

    public IReadOnlyList<DagArgumentShape> Arguments { get; }

    public bool HasCancellationToken { get; }

    public ReturnAwaitKind ReturnAwaitKind { get; }

    /// <summary>How a list node returns its results; meaningless for a single-item node.</summary>
    public ResultCollectionKind ResultCollectionKind { get; }

    /// <summary>The type of one result.</summary>
    public ITypeSymbol ResultType { get; }

    public DagNodeSettings Settings { get; }

    /// <summary>Classifies a <c>[DagNode]</c> method, or returns <see langword="null"/> when it is neither list-to-list nor single-item.</summary>
    public static DagNodeShape? TryCreate(IMethodSymbol method, DagNodeSettings settings)
    {
        if (method.IsGenericMethod || method.Parameters.Length == 0 || method.Parameters.Any(p => p.RefKind != RefKind.None))
        {
            return null;
        }

        bool hasToken = TypeNameMatcher.IsCancellationToken(method.Parameters[method.Parameters.Length - 1].Type);
        IParameterSymbol[] values = [.. method.Parameters.Take(method.Parameters.Length - (hasToken ? 1 : 0))];
        if (values.Length == 0 || values.Any(p => TypeNameMatcher.IsCancellationToken(p.Type)) || method.ReturnsVoid ||
            TypeNameMatcher.IsTask(method.ReturnType, 0) || TypeNameMatcher.IsValueTask(method.ReturnType, 0))
        {
            return null;
        }

        ITypeSymbol returned = BatchMethodShape.Unwrap(method.ReturnType, out ReturnAwaitKind awaitKind);
        ResultCollectionKind? resultKind = BatchMethodShape.ClassifyResults(returned, out ITypeSymbol? keyType, out ITypeSymbol? resultType);
        var listArguments = new List<DagArgumentShape>();
        foreach (IParameterSymbol parameter in values)
        {
            if (BatchMethodShape.ClassifyItemList(parameter.Type, out ITypeSymbol? element) is { } listKind && element is not null)
            {
                listArguments.Add(new DagArgumentShape(parameter, element, listKind));
            }
        }

        if (resultKind is not null && keyType is null && resultType is not null && listArguments.Count == values.Length)
        {
            return new DagNodeShape(method, isList: true, listArguments, hasToken, awaitKind, resultKind.Value, resultType, settings);
        }

        if (resultKind is not null && listArguments.Count == values.Length)
        {
            return null; // a dictionary of results: keyed nodes are not supported
        }

        if (resultKind is null && listArguments.Count == values.Length && listArguments.All(a => a.ListKind != ItemListKind.Array))
        {
            return null; // lists in, one value out (an array parameter reads as one value, such as a vector)
        }

        // Single-item: plain parameters (a parameter may itself be a list, e.g. a float[] vector) and a plain result.
        DagArgumentShape[] plain = [.. values.Select(p => new DagArgumentShape(p, p.Type, ItemListKind.IReadOnlyList))];
        return new DagNodeShape(method, isList: false, plain, hasToken, awaitKind, ResultCollectionKind.IReadOnlyList, returned, settings);
    }
}
