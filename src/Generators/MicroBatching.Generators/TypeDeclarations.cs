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

            (string prefix, string keyword) = Keyword(current);
            types.Add(new ContainingTypeModel(keyword, name, prefix));
        }

        types.Reverse();
        return new EquatableArray<ContainingTypeModel>([.. types]);
    }

    /// <summary>
    /// The dotted names of the type and its enclosing types, with arity, for a hint name: <c>Ns.Outer_1.Inner</c>. Only
    /// characters every file system and <c>AddSource</c> accept are kept (a verbatim <c>@class</c> namespace, non-ASCII
    /// letters); the rest become <c>_</c>, followed by a hash of the original so that two names never meet.
    /// </summary>
    public static string HintPrefix(INamedTypeSymbol type) => SafeHintName(HintPath(type));

    /// <summary>
    /// <paramref name="name"/> if it holds only ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>; otherwise those
    /// characters kept, the rest replaced with <c>_</c>, and a hash of <paramref name="name"/> appended.
    /// </summary>
    public static string SafeHintName(string name)
    {
        char[] chars = name.ToCharArray();
        bool replaced = false;
        for (int i = 0; i < chars.Length; i++)
        {
            char c = chars[i];
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '.'))
            {
                chars[i] = '_';
                replaced = true;
            }
        }

        return replaced ? $"{new string(chars)}_{Fnv1a(name):x8}" : name;
    }

    /// <summary>A stable 32-bit FNV-1a hash of <paramref name="text"/>, for hint names.</summary>
    public static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash;
    }

    private static string HintPath(INamedTypeSymbol type)
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

    // The modifiers that must precede "partial" (ref) and the keyword after it: "ref partial struct" is valid C#,
    // "partial ref struct" is not. Modifiers other parts already carry (readonly, static, sealed) are left out.
    private static (string Prefix, string Keyword) Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, IsValueType: true } => ("", "record struct"),
        { IsRecord: true } => ("", "record"),
        { TypeKind: TypeKind.Struct, IsRefLikeType: true } => ("ref ", "struct"),
        { TypeKind: TypeKind.Struct } => ("", "struct"),
        { TypeKind: TypeKind.Interface } => ("", "interface"),
        _ => ("", "class"),
    };
}
