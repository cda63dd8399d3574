using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>Recognises the framework and MicroBatching types a batch method may use, by name, with no compilation lookups.</summary>
internal static class WellKnownTypes
{
    public const string MicroBatchedAttribute = "MicroBatching.MicroBatchedAttribute";
    public const string MicroBatchedMemberAttribute = "MicroBatching.MicroBatchedMemberAttribute";

    private const string CollectionsGeneric = "System.Collections.Generic";
    private const string Tasks = "System.Threading.Tasks";

    public static bool IsGenericCollection(ITypeSymbol type, string name, int arity) =>
        IsType(type, CollectionsGeneric, name, arity);

    public static bool IsTask(ITypeSymbol type, int arity) => IsType(type, Tasks, "Task", arity);

    public static bool IsValueTask(ITypeSymbol type, int arity) => IsType(type, Tasks, "ValueTask", arity);

    public static bool IsCancellationToken(ITypeSymbol type) => IsType(type, "System.Threading", "CancellationToken", 0);

    public static bool IsMicroBatchedAttribute(INamedTypeSymbol? type) =>
        type is not null && IsType(type, "MicroBatching", "MicroBatchedAttribute", 0);

    public static bool IsMicroBatchedMemberAttribute(INamedTypeSymbol? type) =>
        type is not null && IsType(type, "MicroBatching", "MicroBatchedMemberAttribute", 0);

    public static bool IsType(ITypeSymbol type, string containingNamespace, string name, int arity) =>
        type is INamedTypeSymbol named &&
        named.Name == name &&
        named.Arity == arity &&
        named.ContainingType is null &&
        IsNamespace(named.ContainingNamespace, containingNamespace);

    // Compares "A.B.C" with the namespace chain from the inside out, without building its display string: this runs for
    // every type the analyzers look at.
    private static bool IsNamespace(INamespaceSymbol? symbol, string expected)
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
