using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroBatching.SourceGeneration;

internal static class PartialDeclarations
{
    /// <summary>Whether every declaration of <paramref name="type"/> carries the <c>partial</c> modifier.</summary>
    public static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Length > 0 &&
        type.DeclaringSyntaxReferences.All(reference =>
            reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration &&
            declaration.Modifiers.Any(SyntaxKind.PartialKeyword));

    /// <summary>Whether <paramref name="type"/> and every type enclosing it are partial.</summary>
    public static bool IsPartialWithContainingTypes(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (!IsPartial(current, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }
}
