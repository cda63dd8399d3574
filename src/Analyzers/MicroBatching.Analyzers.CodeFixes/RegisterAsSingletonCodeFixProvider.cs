using System.Collections.Immutable;
using System.Composition;
using MicroBatching.Analyzers.Lifetimes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroBatching.Analyzers.CodeFixes;

/// <summary>
/// MBAT202: registers the type as a singleton instead: <c>AddTransient</c>/<c>AddScoped</c> become <c>AddSingleton</c>,
/// <c>TryAddTransient</c>/<c>TryAddScoped</c> become <c>TryAddSingleton</c>. A typed <c>AddHttpClient</c> gets no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RegisterAsSingletonCodeFixProvider)), Shared]
public sealed class RegisterAsSingletonCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ShortLivedBatcherOwnerId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            string? singleton = diagnostic.Properties.TryGetValue(ShortLivedBatcherOwnerAnalyzer.MethodProperty, out string? method) ? method switch
            {
                "AddTransient" or "AddScoped" => "AddSingleton",
                "TryAddTransient" or "TryAddScoped" => "TryAddSingleton",
                _ => null,
            } : null;
            if (singleton is null ||
                root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation ||
                MethodName(invocation) is not { } name)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Register as a singleton ({singleton})",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceToken(name.Identifier,
                        SyntaxFactory.Identifier(name.Identifier.LeadingTrivia, singleton, name.Identifier.TrailingTrivia)))),
                    equivalenceKey: nameof(RegisterAsSingletonCodeFixProvider)),
                diagnostic);
        }
    }

    private static SimpleNameSyntax? MethodName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access => access.Name,
        SimpleNameSyntax simple => simple,
        _ => null,
    };
}
