using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;

namespace MicroBatching.Analyzers.Support;

/// <summary>
/// The framework and MicroBatching types the usage analyzers compare against, resolved once per compilation: a symbol
/// cache. (Matching a symbol by name without a compilation is <see cref="TypeNameMatcher"/>.)
/// </summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation, INamedTypeSymbol microBatchedAttribute, INamedTypeSymbol memberAttribute)
    {
        MicroBatchedAttribute = microBatchedAttribute;
        MicroBatchedMemberAttribute = memberAttribute;
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        GenericTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        GenericValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        DagNodeAttribute = compilation.GetTypeByMetadataName(TypeNames.MicroBatchingNamespace + "." + TypeNames.DagNodeAttribute);
    }

    public INamedTypeSymbol MicroBatchedAttribute { get; }

    public INamedTypeSymbol MicroBatchedMemberAttribute { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? GenericTask { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? GenericValueTask { get; }

    public INamedTypeSymbol? Thread { get; }

    /// <summary>Absent when the referenced runtime predates batch DAGs.</summary>
    public INamedTypeSymbol? DagNodeAttribute { get; }

    /// <summary>Resolves the symbols, or returns <see langword="null"/> when the compilation does not reference MicroBatching.</summary>
    public static KnownSymbols? Create(Compilation compilation) =>
        compilation.GetTypeByMetadataName(TypeNames.MicroBatchedAttributeMetadataName) is { } attribute &&
        compilation.GetTypeByMetadataName(TypeNames.MicroBatchedMemberAttributeMetadataName) is { } member
            ? new KnownSymbols(compilation, attribute, member)
            : null;

    public bool IsTask(ITypeSymbol? type) =>
        type is INamedTypeSymbol named &&
        (Is(named, Task) || Is(named.OriginalDefinition, GenericTask) || Is(named, ValueTask) || Is(named.OriginalDefinition, GenericValueTask));

    public bool IsTaskOfT(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && (Is(named.OriginalDefinition, GenericTask) || Is(named.OriginalDefinition, GenericValueTask));

    public bool IsTaskClass(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && (Is(named, Task) || Is(named.OriginalDefinition, GenericTask));

    /// <summary>Whether <paramref name="symbol"/> runs a batch: a <c>[MicroBatched]</c> method or a <c>[DagNode]</c>.</summary>
    public bool IsBatchMethod(ISymbol? symbol) =>
        symbol is IMethodSymbol method &&
        method.GetAttributes().Any(a => Is(a.AttributeClass, MicroBatchedAttribute) || Is(a.AttributeClass, DagNodeAttribute));

    /// <summary>
    /// What a generated member is, if <paramref name="method"/> is one: its kind and the documentation comment ID of its
    /// batch method, which tells overloads apart.
    /// </summary>
    public (MicroBatchedMemberKind Kind, string? BatchMethodId)? GeneratedMember(IMethodSymbol method)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (Is(attribute.AttributeClass, MicroBatchedMemberAttribute) &&
                attribute.ConstructorArguments is [{ Value: string }, { Value: int kind }])
            {
                string? batchMethodId = null;
                foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
                {
                    if (argument.Key == TypeNames.BatchMethodIdArgument)
                    {
                        batchMethodId = argument.Value.Value as string;
                    }
                }

                return ((MicroBatchedMemberKind)kind, batchMethodId);
            }
        }

        return null;
    }

    /// <summary>The generated many-items wrapper generated for the same batch method as <paramref name="wrapper"/>.</summary>
    public IMethodSymbol? ManyWrapperFor(IMethodSymbol wrapper) =>
        GeneratedMember(wrapper) is { BatchMethodId: { } batchMethodId }
            ? wrapper.ContainingType.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(m =>
                GeneratedMember(m) is { Kind: MicroBatchedMemberKind.ManyWrapper } many && many.BatchMethodId == batchMethodId)
            : null;

    private static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type, known);
}
