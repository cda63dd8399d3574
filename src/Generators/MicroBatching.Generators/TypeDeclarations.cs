using MicroBatching.SourceGeneration.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroBatching.SourceGeneration;

/// <summary>How the generators name and re-declare the user's types: the parts both parsers need.</summary>
internal static class TypeDeclarations
{
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat s_namespaceFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

    /// <summary>The namespace to declare the partial type in; <see langword="null"/> for the global namespace.</summary>
    public static string? Namespace(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString(s_namespaceFormat) : null;

    /// <summary>The type and every type enclosing it, outermost first, as their partial declarations are written.</summary>
    public static EquatableArray<ContainingTypeModel> ContainingTypes(INamedTypeSymbol type)
    {
        var types = new List<ContainingTypeModel>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            string name = Escape(current.Name);
            if (current.TypeParameters.Length > 0)
            {
                name += "<" + string.Join(", ", current.TypeParameters.Select(p => Escape(p.Name))) + ">";
            }

            types.Add(new ContainingTypeModel(Keyword(current), name));
        }

        types.Reverse();
        return new EquatableArray<ContainingTypeModel>([.. types]);
    }

    /// <summary>The dotted names of the type and its enclosing types, with arity, for a hint name: <c>Ns.Outer_1.Inner</c>.</summary>
    public static string HintPrefix(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            parts.Add(current.Arity > 0 ? $"{current.Name}_{current.Arity}" : current.Name);
        }

        parts.Reverse();
        if (type.ContainingNamespace is { IsGlobalNamespace: false } ns)
        {
            parts.Insert(0, ns.ToDisplayString());
        }

        return string.Join(".", parts);
    }

    public static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, IsValueType: true } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct, IsRefLikeType: true } => "ref struct",
        { TypeKind: TypeKind.Struct } => "struct",
        _ => "class",
    };
}
