using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MicroBatching.Analyzers.Blocking;

/// <summary>
/// Decides whether a <c>.Result</c>-style access cannot block because the task is already complete: it was awaited before,
/// an <c>await Task.WhenAll/WhenAny</c> came first (for a task that existed then, not a call made afterwards), its completion was checked, it is the antecedent in a
/// <c>ContinueWith</c>, or it is a completed task by construction. These are the false positives users of similar rules
/// complain about most; precision wins over recall.
/// </summary>
internal sealed class CompletedTaskEvidence
{
    private static readonly ImmutableHashSet<string> s_completionChecks =
        ImmutableHashSet.Create("IsCompleted", "IsCompletedSuccessfully", "IsFaulted", "IsCanceled", "Status");

    private readonly ImmutableArray<IOperation> _operations;

    public CompletedTaskEvidence(ImmutableArray<IOperation> operationBlocks) =>
        _operations = operationBlocks.SelectMany(block => block.DescendantsAndSelf()).ToImmutableArray();

    public bool IsKnownComplete(BlockingWait wait)
    {
        if (wait.Task is null)
        {
            return false;
        }

        IOperation task = wait.Task.WithoutConversions();
        if (task is IInvocationOperation { TargetMethod.Name: "FromResult" or "FromException" or "FromCanceled" } ||
            task is IPropertyReferenceOperation { Property.Name: "CompletedTask" })
        {
            return true;
        }

        // A call made on the spot starts a new task, which no earlier await can have completed.
        if (task is IInvocationOperation)
        {
            return false;
        }

        int position = wait.Operation.Syntax.SpanStart;
        ISymbol? symbol = ReferencedSymbol(task);
        if (_operations.Any(o => o.Syntax.SpanStart < position && o is IAwaitOperation await && IsWhenAllOrAny(await.Operation) &&
                                 !IsTaskLocalDeclaredAfter(symbol, o.Syntax.SpanStart)))
        {
            return true;
        }

        if (symbol is null)
        {
            return false;
        }

        if (symbol is IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda } &&
            _operations.OfType<IInvocationOperation>().Any(c => c.TargetMethod.Name == "ContinueWith" && c.Arguments.Any(a =>
                a.Value.WithoutConversions() is IDelegateCreationOperation { Target: IAnonymousFunctionOperation f } &&
                SymbolEqualityComparer.Default.Equals(f.Symbol, lambda))))
        {
            return true;
        }

        return _operations.Any(o => o.Syntax.SpanStart < position && (
            (o is IAwaitOperation awaited && SameSymbol(Unconfigured(awaited.Operation), symbol)) ||
            (o is IPropertyReferenceOperation { Instance: { } checkedTask } check && s_completionChecks.Contains(check.Property.Name) && SameSymbol(checkedTask, symbol))));
    }

    // A local declared after the WhenAll holds a task started after it; a foreach variable walks tasks that came before.
    private static bool IsTaskLocalDeclaredAfter(ISymbol? symbol, int position) =>
        symbol is ILocalSymbol { IsForEach: false } local &&
        local.DeclaringSyntaxReferences.FirstOrDefault() is { } declaration &&
        declaration.Span.Start > position;

    private static bool IsWhenAllOrAny(IOperation awaited) =>
        Unconfigured(awaited) is IInvocationOperation { TargetMethod.Name: "WhenAll" or "WhenAny" };

    private static IOperation Unconfigured(IOperation operation)
    {
        operation = operation.WithoutConversions();
        return operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } task } ? task.WithoutConversions() : operation;
    }

    private static bool SameSymbol(IOperation operation, ISymbol symbol) =>
        SymbolEqualityComparer.Default.Equals(ReferencedSymbol(operation.WithoutConversions()), symbol);

    private static ISymbol? ReferencedSymbol(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Property,
        _ => null,
    };
}
