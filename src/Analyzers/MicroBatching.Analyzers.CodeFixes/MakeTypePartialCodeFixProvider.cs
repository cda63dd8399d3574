using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroBatching.Analyzers.CodeFixes;

/// <summary>
/// MBAT002, and MBAT303 for a <c>[BatchDag]</c> class that is not partial: adds <c>partial</c> to the type, to every type
/// enclosing it, and to the nested types on the way to its <c>[MicroBatched]</c> methods, so one fix resolves every
/// MBAT002 along that path.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypePartialCodeFixProvider)), Shared]
public sealed class MakeTypePartialCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.TypeNotPartialId, DiagnosticDescriptors.InvalidDagId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            bool notPartial = diagnostic.Id == DiagnosticDescriptors.TypeNotPartialId ||
                (diagnostic.Properties.TryGetValue(DiagnosticDescriptors.DagProblemProperty, out string? problem) && problem == nameof(SourceGeneration.DagProblemKind.NotPartial));
            if (notPartial && root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is TypeDeclarationSyntax type)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Make '{type.Identifier.ValueText}' partial",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(MakePartial(root, type))),
                        equivalenceKey: nameof(MakeTypePartialCodeFixProvider)),
                    diagnostic);
            }
        }
    }

    private static SyntaxNode MakePartial(SyntaxNode root, TypeDeclarationSyntax type)
    {
        IEnumerable<TypeDeclarationSyntax> towardsBatchMethods = type.DescendantNodes()
            .OfType<MethodDeclarationSyntax>()
            .Where(IsMarkedMicroBatched)
            .SelectMany(method => method.Ancestors().OfType<TypeDeclarationSyntax>().TakeWhile(t => t != type));
        TypeDeclarationSyntax[] declarations = [.. type.AncestorsAndSelf().OfType<TypeDeclarationSyntax>()
            .Concat(towardsBatchMethods)
            .Distinct()
            .Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword))];
        return root.ReplaceNodes(declarations, (_, rewritten) => AddPartial(rewritten));
    }

    // Syntax is enough here: the analyzer has already established which types need the modifier.
    private static bool IsMarkedMicroBatched(MethodDeclarationSyntax method) =>
        method.AttributeLists.SelectMany(list => list.Attributes).Any(attribute =>
            (attribute.Name is QualifiedNameSyntax qualified ? qualified.Right : attribute.Name).ToString() is "MicroBatched" or "MicroBatchedAttribute");

    // "partial" must come last, right before the type keyword; it takes over the keyword's leading trivia when it is the first token.
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count > 0)
        {
            return declaration.AddModifiers(partial);
        }

        SyntaxToken keyword = declaration.Keyword;
        return declaration
            .WithKeyword(keyword.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
    }
}
