using System.Collections.Immutable;
using System.Composition;
using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace MicroBatching.Analyzers.CodeFixes;

/// <summary>MBAT004: sets <c>Name = "…Async"</c> on the attribute to a name that is valid and clashes with nothing.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NameWrapperCodeFixProvider)), Shared]
public sealed class NameWrapperCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.WrapperNameId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not MethodDeclarationSyntax declaration ||
                model?.GetDeclaredSymbol(declaration, context.CancellationToken) is not IMethodSymbol method ||
                FindAttribute(declaration, model, context.CancellationToken) is not { } attribute ||
                BatchMethodShape.TryCreate(method, out _) is not { } shape ||
                ChooseName(method, shape) is not { } name)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Name the wrapper '{name}'",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(attribute, WithName(attribute, name)))),
                    equivalenceKey: nameof(NameWrapperCodeFixProvider)),
                diagnostic);
        }
    }

    // The wrapper's stem (the generator's own rule), then a few natural variants, until the generated members clash with nothing.
    private static string? ChooseName(IMethodSymbol method, BatchMethodShape shape)
    {
        string stem = GeneratedMemberNames.Stem(method.Name);
        string[] suffixes = ["Async", "ItemAsync", "OneAsync", "SingleAsync", "EachAsync"];
        IEnumerable<string> candidates = suffixes.Select(suffix => stem + suffix).Concat(Enumerable.Range(2, 8).Select(n => $"{stem}{n}Async"));
        return candidates.FirstOrDefault(candidate =>
            candidate != method.Name &&
            GeneratedMemberNames.TryCreate(method.Name, candidate, out _) is { } names &&
            GeneratedMemberConflicts.Find(method, shape, names) is null);
    }

    private static AttributeSyntax? FindAttribute(MethodDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken) =>
        declaration.AttributeLists.SelectMany(list => list.Attributes).FirstOrDefault(attribute =>
            TypeNameMatcher.IsMicroBatchedAttribute(model.GetTypeInfo(attribute, cancellationToken).Type as INamedTypeSymbol));

    private static AttributeSyntax WithName(AttributeSyntax attribute, string name)
    {
        LiteralExpressionSyntax literal = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name));
        AttributeArgumentSyntax? existing = attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Name");
        if (existing is not null)
        {
            return attribute.ReplaceNode(existing, existing.WithExpression(literal));
        }

        AttributeArgumentSyntax argument = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName("Name")), nameColon: null, literal);
        return attribute
            .WithArgumentList((attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList()).AddArguments(argument))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }
}
