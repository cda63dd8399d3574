using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace MicroBatching.Analyzers.CodeFixes;

/// <summary>
/// Puts an <c>await</c> into a function: as is if it is already async, or by making a task-returning method or local function
/// async and rewriting its returns (<c>return Task.FromResult(x)</c> becomes <c>return x</c>, any other task is awaited).
/// </summary>
internal sealed class AsyncRewrite
{
    private readonly SyntaxNode _function;
    private readonly bool _makeAsync;
    private readonly bool _returnsValue;

    private AsyncRewrite(SyntaxNode function, bool makeAsync, bool returnsValue)
    {
        _function = function;
        _makeAsync = makeAsync;
        _returnsValue = returnsValue;
    }

    public static AsyncRewrite? TryCreate(SyntaxNode function, SemanticModel model, CancellationToken cancellationToken)
    {
        if (function is AnonymousFunctionExpressionSyntax lambda)
        {
            return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword) ? new AsyncRewrite(function, makeAsync: false, returnsValue: false) : null;
        }

        (SyntaxTokenList modifiers, TypeSyntax? returnType) = function switch
        {
            MethodDeclarationSyntax method => (method.Modifiers, method.ReturnType),
            LocalFunctionStatementSyntax local => (local.Modifiers, local.ReturnType),
            _ => (default, null),
        };
        if (returnType is null)
        {
            return null;
        }

        if (modifiers.Any(SyntaxKind.AsyncKeyword))
        {
            return new AsyncRewrite(function, makeAsync: false, returnsValue: false);
        }

        if (model.GetTypeInfo(returnType, cancellationToken).Type is not INamedTypeSymbol task || !TypeNameMatcher.IsAnyTask(task))
        {
            return null;
        }

        // A method returning a plain Task would need its "return SomeTask();" split into two statements; leave those alone.
        bool returnsValue = task.Arity == 1;
        if (!returnsValue && OwnReturns(function).Any(r => r.Expression is { } e && !IsCompletedTask(e)))
        {
            return null;
        }

        return new AsyncRewrite(function, makeAsync: true, returnsValue);
    }

    public SyntaxNode Apply(SyntaxNode blocking, ExpressionSyntax awaited)
    {
        // Parenthesise when the await becomes the target of a member access, an invocation or an element access.
        ExpressionSyntax replacement = blocking.Parent is MemberAccessExpressionSyntax or ElementAccessExpressionSyntax or ConditionalAccessExpressionSyntax or InvocationExpressionSyntax
            ? SyntaxFactory.ParenthesizedExpression(awaited)
            : awaited;
        replacement = replacement.WithTriviaFrom(blocking);

        if (!_makeAsync)
        {
            return _function.ReplaceNode(blocking, replacement);
        }

        var returns = OwnReturns(_function).ToList();
        ArrowExpressionClauseSyntax? arrow = _function switch
        {
            MethodDeclarationSyntax method => method.ExpressionBody,
            LocalFunctionStatementSyntax local => local.ExpressionBody,
            _ => null,
        };

        var targets = new List<SyntaxNode> { blocking };
        targets.AddRange(returns.Where(r => r.Expression is not null));
        if (arrow is not null)
        {
            targets.Add(arrow);
        }

        SyntaxNode rewritten = _function.ReplaceNodes(targets, (original, current) => original switch
        {
            _ when original == blocking => replacement,
            ReturnStatementSyntax => RewriteReturn((ReturnStatementSyntax)current),
            ArrowExpressionClauseSyntax => ((ArrowExpressionClauseSyntax)current).WithExpression(Unwrapped(((ArrowExpressionClauseSyntax)current).Expression)),
            _ => current,
        });

        return AddAsync(rewritten);
    }

    private ReturnStatementSyntax RewriteReturn(ReturnStatementSyntax statement) =>
        !_returnsValue
            ? statement.WithExpression(null).WithReturnKeyword(statement.ReturnKeyword.WithTrailingTrivia())
            : statement.WithExpression(Unwrapped(statement.Expression!));

    // Task.FromResult(x) and new ValueTask<T>(x) give x; any other task is awaited.
    private static ExpressionSyntax Unwrapped(ExpressionSyntax expression) => expression switch
    {
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FromResult" }, ArgumentList.Arguments.Count: 1 } fromResult
            => fromResult.ArgumentList.Arguments[0].Expression.WithTriviaFrom(expression),
        BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 1 } creation when IsValueTaskCreation(creation)
            => creation.ArgumentList!.Arguments[0].Expression.WithTriviaFrom(expression),
        AwaitExpressionSyntax => expression,
        _ => SyntaxFactory.AwaitExpression(expression.WithoutLeadingTrivia()).WithLeadingTrivia(expression.GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation),
    };

    private static bool IsValueTaskCreation(BaseObjectCreationExpressionSyntax creation) =>
        creation is ImplicitObjectCreationExpressionSyntax ||
        (creation is ObjectCreationExpressionSyntax { Type: var type } && type.ToString().Contains("ValueTask"));

    private static bool IsCompletedTask(ExpressionSyntax expression) =>
        expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompletedTask" } or DefaultExpressionSyntax or LiteralExpressionSyntax { RawKind: (int)SyntaxKind.DefaultLiteralExpression };

    private static IEnumerable<ReturnStatementSyntax> OwnReturns(SyntaxNode function) =>
        function.DescendantNodes(node => node == function || !(node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<ReturnStatementSyntax>();

    private static SyntaxNode AddAsync(SyntaxNode function)
    {
        SyntaxToken async = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        switch (function)
        {
            case MethodDeclarationSyntax method when method.Modifiers.Count == 0:
                return method.WithReturnType(method.ReturnType.WithoutLeadingTrivia())
                    .WithModifiers(SyntaxFactory.TokenList(async.WithLeadingTrivia(method.ReturnType.GetLeadingTrivia())));
            case MethodDeclarationSyntax method:
                return method.AddModifiers(async);
            case LocalFunctionStatementSyntax local when local.Modifiers.Count == 0:
                return local.WithReturnType(local.ReturnType.WithoutLeadingTrivia())
                    .WithModifiers(SyntaxFactory.TokenList(async.WithLeadingTrivia(local.ReturnType.GetLeadingTrivia())));
            case LocalFunctionStatementSyntax local:
                return local.AddModifiers(async);
            default:
                return function;
        }
    }
}
