using System.Collections.Immutable;
using System.Composition;
using MicroBatching.Analyzers.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace MicroBatching.Analyzers.CodeFixes;

/// <summary>
/// MBAT201: replaces <c>foreach (var x in xs) results.Add(await m.InferAsync(x));</c> with
/// <c>results.AddRange(await m.InferManyAsync(xs));</c>. Only that exact shape is fixed: the loop's only statement adds the
/// awaited result of the wrapper called on the loop variable itself, to a collection with <c>AddRange</c>. Any other shape
/// gets no fix rather than a wrong one.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseManyWrapperCodeFixProvider)), Shared]
public sealed class UseManyWrapperCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.AwaitInLoopId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || KnownSymbols.Create(model.Compilation) is not { } known)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not AwaitExpressionSyntax awaitExpression ||
                Match(awaitExpression, model, known, context.CancellationToken) is not { } match)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Submit all items at once with '{match.ManyName}'",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(match.Loop, match.Replacement()))),
                    equivalenceKey: nameof(UseManyWrapperCodeFixProvider)),
                diagnostic);
        }
    }

    private static LoopMatch? Match(AwaitExpressionSyntax awaitExpression, SemanticModel model, KnownSymbols known, CancellationToken cancellationToken)
    {
        // results.Add(await receiver.Wrapper(x[, token])[.ConfigureAwait(…)]) as the loop's only statement.
        if (awaitExpression.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 1, Parent: InvocationExpressionSyntax add } } ||
            add.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add" } addAccess ||
            add.Parent is not ExpressionStatementSyntax statement ||
            statement.Parent is not ForEachStatementSyntax loop && statement.Parent is not BlockSyntax { Statements.Count: 1, Parent: ForEachStatementSyntax })
        {
            return null;
        }

        loop = (ForEachStatementSyntax)(statement.Parent as ForEachStatementSyntax ?? statement.Parent!.Parent!);
        ExpressionSyntax awaited = awaitExpression.Expression;
        InvocationExpressionSyntax? configureAwait = null;
        if (awaited is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Expression: InvocationExpressionSyntax inner } } configured)
        {
            configureAwait = configured;
            awaited = inner;
        }

        if (awaited is not InvocationExpressionSyntax wrapperCall ||
            wrapperCall.ArgumentList.Arguments.Count is 0 or > 2 ||
            wrapperCall.ArgumentList.Arguments[0].Expression is not IdentifierNameSyntax item ||
            item.Identifier.ValueText != loop.Identifier.ValueText ||
            model.GetSymbolInfo(wrapperCall, cancellationToken).Symbol is not IMethodSymbol wrapper ||
            known.ManyWrapperFor(wrapper) is not { } many ||
            !HasAddRange(model.GetTypeInfo(addAccess.Expression, cancellationToken).Type) ||
            model.GetForEachStatementInfo(loop).ElementConversion is { IsIdentity: false })
        {
            return null;
        }

        return new LoopMatch(loop, addAccess, wrapperCall, configureAwait, many.Name);
    }

    private static bool HasAddRange(ITypeSymbol? type) =>
        type?.GetMembers("AddRange").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 1) == true;

    private sealed class LoopMatch(
        ForEachStatementSyntax loop,
        MemberAccessExpressionSyntax addAccess,
        InvocationExpressionSyntax wrapperCall,
        InvocationExpressionSyntax? configureAwait,
        string manyName)
    {
        public ForEachStatementSyntax Loop => loop;

        public string ManyName => manyName;

        public StatementSyntax Replacement()
        {
            // receiver.ManyAsync(source[, token])[.ConfigureAwait(…)]
            ExpressionSyntax manyTarget = wrapperCall.Expression switch
            {
                MemberAccessExpressionSyntax access => access.WithName(SyntaxFactory.IdentifierName(manyName)),
                _ => SyntaxFactory.IdentifierName(manyName),
            };
            ArgumentListSyntax arguments = wrapperCall.ArgumentList.WithArguments(
                wrapperCall.ArgumentList.Arguments.Replace(wrapperCall.ArgumentList.Arguments[0], SyntaxFactory.Argument(loop.Expression.WithoutTrivia())));
            ExpressionSyntax manyCall = SyntaxFactory.InvocationExpression(manyTarget, arguments);
            if (configureAwait is not null)
            {
                manyCall = configureAwait.WithExpression(((MemberAccessExpressionSyntax)configureAwait.Expression).WithExpression(manyCall));
            }

            InvocationExpressionSyntax addRange = SyntaxFactory.InvocationExpression(
                addAccess.WithName(SyntaxFactory.IdentifierName("AddRange")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.AwaitExpression(manyCall)))));

            return SyntaxFactory.ExpressionStatement(addRange)
                .WithTriviaFrom(loop)
                .WithAdditionalAnnotations(Formatter.Annotation);
        }
    }
}
