using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace MicroBatching.Analyzers.CodeFixes;

/// <summary>
/// MBAT102 and MBAT103: replaces a blocking call with <c>await</c> when the enclosing function is async, or is a method or
/// local function returning a task that can be made async (its returns are rewritten to match). No fix is offered where
/// <c>await</c> cannot go (a lock, a lambda that is not async, a synchronous method) or would change the meaning
/// (<c>Task.WaitAny</c> returns an index, <c>WhenAny</c> a task).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitInsteadOfBlockingCodeFixProvider)), Shared]
public sealed class AwaitInsteadOfBlockingCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.BlockingCallInBatchMethodId, DiagnosticDescriptors.BlockingWaitOnWrapperId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => AwaitInsteadOfBlockingFixAllProvider.Instance;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            SyntaxNode blocking = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (TryFix(root, model, blocking, context.CancellationToken) is not { } fixedRoot)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Await instead of blocking",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)),
                    equivalenceKey: nameof(AwaitInsteadOfBlockingCodeFixProvider)),
                diagnostic);
        }
    }

    /// <summary>The root with <paramref name="blocking"/> awaited instead, or null where no faithful fix exists.</summary>
    internal static SyntaxNode? TryFix(SyntaxNode root, SemanticModel model, SyntaxNode blocking, CancellationToken cancellationToken)
    {
        if (AwaitedForm(blocking) is not { } awaited ||
            blocking.Ancestors().FirstOrDefault(IsFunction) is not { } function ||
            blocking.Ancestors().TakeWhile(a => a != function).Any(a => a is LockStatementSyntax || a is QueryExpressionSyntax) ||
            AsyncRewrite.TryCreate(function, model, cancellationToken) is not { } rewrite)
        {
            return null;
        }

        return root.ReplaceNode(function, rewrite.Apply(blocking, awaited));
    }

    private static bool IsFunction(SyntaxNode node) =>
        node is MethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax or ConstructorDeclarationSyntax;

    // The awaiting expression that replaces a blocking one, or null when there is no faithful one.
    private static ExpressionSyntax? AwaitedForm(SyntaxNode blocking)
    {
        switch (blocking)
        {
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result:
                return Await(result.Expression);

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access, ArgumentList.Arguments.Count: 0 } invocation:
                if (access.Name.Identifier.ValueText == "Wait" && invocation.Parent is ExpressionStatementSyntax)
                {
                    return Await(access.Expression);
                }

                if (access.Name.Identifier.ValueText == "GetResult" &&
                    access.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter })
                {
                    return Await(getAwaiter.Expression);
                }

                return null;

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation when invocation.Parent is ExpressionStatementSyntax:
                switch (access.Name.Identifier.ValueText)
                {
                    case "WaitAll":
                        return Await(invocation.WithExpression(access.WithName(SyntaxFactory.IdentifierName("WhenAll"))));
                    case "Sleep" when invocation.ArgumentList.Arguments.Count == 1:
                        ExpressionSyntax delay = SyntaxFactory.ParseExpression("global::System.Threading.Tasks.Task.Delay")
                            .WithAdditionalAnnotations(Simplifier.Annotation);
                        return Await(invocation.WithExpression(delay));
                    default:
                        return null;
                }

            default:
                return null;
        }
    }

    private static ExpressionSyntax Await(ExpressionSyntax task) =>
        SyntaxFactory.AwaitExpression(task.WithoutTrivia()).WithAdditionalAnnotations(Formatter.Annotation);
}
