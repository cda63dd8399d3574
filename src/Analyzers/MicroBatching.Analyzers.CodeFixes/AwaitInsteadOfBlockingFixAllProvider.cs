using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace MicroBatching.Analyzers.CodeFixes;

/// <summary>
/// Fix All for MBAT102 and MBAT103. Each fix may rewrite its whole function (making it async, rewriting its returns), so
/// fixes in one function would conflict if computed apart: they are applied one after another, each on the last result.
/// </summary>
internal sealed class AwaitInsteadOfBlockingFixAllProvider : DocumentBasedFixAllProvider
{
    public static readonly AwaitInsteadOfBlockingFixAllProvider Instance = new();

    private AwaitInsteadOfBlockingFixAllProvider()
    {
    }

    protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        CancellationToken cancellationToken = fixAllContext.CancellationToken;
        if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
        {
            return document;
        }

        // Annotations find each blocking call again after earlier fixes have moved or rebuilt the code around it.
        Dictionary<SyntaxNode, SyntaxAnnotation> annotations = diagnostics
            .Select(diagnostic => root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true))
            .Distinct()
            .ToDictionary(node => node, _ => new SyntaxAnnotation());
        document = document.WithSyntaxRoot(root.ReplaceNodes(annotations.Keys, (original, current) => current.WithAdditionalAnnotations(annotations[original])));

        foreach (SyntaxAnnotation annotation in annotations.Values)
        {
            // Find the node before binding the document, the costly step.
            if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } current ||
                current.GetAnnotatedNodes(annotation).FirstOrDefault() is not { } blocking ||
                await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
            {
                continue;
            }

            if (AwaitInsteadOfBlockingCodeFixProvider.TryFix(current, model, blocking, cancellationToken) is { } fixedRoot)
            {
                document = document.WithSyntaxRoot(fixedRoot);
            }
        }

        return document;
    }
}
