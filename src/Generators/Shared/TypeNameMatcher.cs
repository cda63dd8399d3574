using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>
/// Recognises the framework and MicroBatching types a batch method may use by their symbols' names and namespaces, with
/// no compilation lookups and no display strings. (The analyzers' per-compilation symbol cache is <c>KnownSymbols</c>.)
/// </summary>
internal static class TypeNameMatcher
{
    private const string CollectionsGeneric = TypeNames.CollectionsGenericNamespace;
    private const string Tasks = TypeNames.TasksNamespace;

    public static bool IsGenericCollection(ITypeSymbol type, string name, int arity) =>
        IsType(type, CollectionsGeneric, name, arity);

    public static bool IsTask(ITypeSymbol type, int arity) => IsType(type, Tasks, "Task", arity);

    public static bool IsValueTask(ITypeSymbol type, int arity) => IsType(type, Tasks, "ValueTask", arity);

    /// <summary>Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
    public static bool IsAnyTask(ITypeSymbol? type) =>
        type is not null && (IsTask(type, 0) || IsTask(type, 1) || IsValueTask(type, 0) || IsValueTask(type, 1));

    public static bool IsCancellationToken(ITypeSymbol type) => IsType(type, TypeNames.ThreadingNamespace, "CancellationToken", 0);

    public static bool IsMicroBatchedAttribute(INamedTypeSymbol? type) =>
        type is not null && IsType(type, TypeNames.MicroBatchingNamespace, TypeNames.MicroBatchedAttribute, 0);

    public static bool IsMicroBatchedMemberAttribute(INamedTypeSymbol? type) =>
        type is not null && IsType(type, TypeNames.MicroBatchingNamespace, TypeNames.MicroBatchedMemberAttribute, 0);

    public static bool IsType(ITypeSymbol type, string containingNamespace, string name, int arity) =>
        type is INamedTypeSymbol named &&
        named.Name == name &&
        named.Arity == arity &&
        named.ContainingType is null &&
        IsNamespace(named.ContainingNamespace, containingNamespace);

    /// <summary>Whether <paramref name="symbol"/> is the namespace <paramref name="expected"/> ("A.B.C").</summary>
    // Compares with the namespace chain from the inside out, without building its display string: this runs for every
    // type the analyzers look at.
    public static bool IsNamespace(INamespaceSymbol? symbol, string expected)
    {
        int end = expected.Length;
        while (symbol is { IsGlobalNamespace: false })
        {
            int start = expected.LastIndexOf('.', end - 1) + 1;
            string segment = symbol.Name;
            if (end - start != segment.Length || string.CompareOrdinal(expected, start, segment, 0, segment.Length) != 0)
            {
                return false;
            }

            symbol = symbol.ContainingNamespace;
            end = start - 1;
            if (end < 0)
            {
                return symbol is null || symbol.IsGlobalNamespace;
            }
        }

        return false;
    }
}
