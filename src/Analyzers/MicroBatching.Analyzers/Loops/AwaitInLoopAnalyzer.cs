using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace MicroBatching.Analyzers.Loops;

/// <summary>
/// MBAT201: a generated single-item wrapper awaited inside a <c>foreach</c>, <c>for</c>, <c>while</c> or <c>do</c> loop, one
/// item per iteration, directly or through a local holding its task. Silent when iterations depend on each other: the
/// item is computed from a variable the loop assigns (other than a counter step), or the loop can stop early (break,
/// return, goto, yield) on what it has seen so far. Silent in <c>await foreach</c>: the many-wrapper takes an
/// <c>IEnumerable</c>, not the stream.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AwaitInLoopAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.AwaitInLoop);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterForMicroBatchingCompilations(
            (start, known) => start.RegisterOperationAction(operation => AnalyzeAwait(operation, known), OperationKind.Await));
    }

    private static void AnalyzeAwait(OperationAnalysisContext context, KnownSymbols known)
    {
        var await = (IAwaitOperation)context.Operation;
        if (OperationHelpers.EnclosingLoop(await) is not { } loop ||
            loop is not (IForEachLoopOperation { IsAsynchronous: false } or IForLoopOperation or IWhileLoopOperation) ||
            (WrapperCall(await, known) ?? WrapperCallStartedInIteration(await, loop, known)) is not { } call ||
            !IsWithin(await, loop.Body) ||
            MayStopEarly(loop) ||
            (loop is IWhileLoopOperation && BranchesOnResult(await, loop)) ||
            DependsOnEarlierIterations(call, loop) ||
            known.ManyWrapperFor(call.TargetMethod) is not { } many)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AwaitInLoop, await.Syntax.GetLocation(), call.TargetMethod.Name, many.Name));
    }

    /// <summary>The single-item wrapper call an await waits for, through <c>ConfigureAwait</c> and <c>AsTask</c>.</summary>
    internal static IInvocationOperation? WrapperCall(IAwaitOperation await, KnownSymbols known)
    {
        IOperation operation = await.Operation.WithoutConversions();
        while (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "AsTask", Instance: { } inner } &&
               known.GeneratedMember(((IInvocationOperation)operation).TargetMethod) is null)
        {
            operation = inner.WithoutConversions();
        }

        return operation is IInvocationOperation invocation && known.GeneratedMember(invocation.TargetMethod) is { Kind: MicroBatchedMemberKind.Wrapper }
            ? invocation
            : null;
    }

    // 'var task = model.InferAsync(item); ...; await task;' within one iteration: the task is still one item's alone.
    private static IInvocationOperation? WrapperCallStartedInIteration(IAwaitOperation await, ILoopOperation loop, KnownSymbols known)
    {
        IOperation awaited = await.Operation.WithoutConversions();
        while (awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "AsTask", Instance: { } inner })
        {
            awaited = inner.WithoutConversions();
        }

        if (awaited is not ILocalReferenceOperation local)
        {
            return null;
        }

        IInvocationOperation? call = null;
        foreach (IOperation operation in loop.Body.DescendantsAndSelf())
        {
            if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local))
            {
                call = declarator.Initializer?.Value.WithoutConversions() is IInvocationOperation invocation &&
                       known.GeneratedMember(invocation.TargetMethod) is { Kind: MicroBatchedMemberKind.Wrapper }
                    ? invocation
                    : null;
            }
            else if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } &&
                     SymbolEqualityComparer.Default.Equals(target.Local, local.Local))
            {
                return null; // reassigned: no longer plainly the wrapper's task
            }
        }

        return call;
    }

    // A while loop takes its items from state the body may change, such as a work queue; when the body branches on the
    // result, the next item may depend on it.
    private static bool BranchesOnResult(IAwaitOperation await, ILoopOperation loop)
    {
        ILocalSymbol? result = await.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
            _ => null,
        };
        return result is not null && loop.Body.DescendantsAndSelf().OfType<IConditionalOperation>().Any(conditional =>
            conditional.Condition.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Local, result)));
    }

    private static bool IsWithin(IOperation operation, IOperation container)
    {
        for (IOperation? current = operation; current is not null; current = current.Parent)
        {
            if (current == container)
            {
                return true;
            }
        }

        return false;
    }

    private static bool MayStopEarly(ILoopOperation loop) =>
        loop.Body.DescendantsAndSelf().Any(operation =>
            !OperationHelpers.IsInNestedFunction(operation) && operation switch
            {
                IBranchOperation branch => branch.BranchKind is BranchKind.Break or BranchKind.GoTo
                    && OperationHelpers.EnclosingLoop(branch) == loop,
                IReturnOperation => true,
                _ => false,
            });

    // The item passed to the wrapper reads a variable declared outside the loop and written inside it with something
    // other than a counter step: a counter (i++, i += 2) moves on to the next item whatever the last result was.
    private static bool DependsOnEarlierIterations(IInvocationOperation call, ILoopOperation loop)
    {
        var writtenInLoop = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (IOperation operation in loop.Body.DescendantsAndSelf())
        {
            ILocalSymbol? written = operation switch
            {
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
                ICompoundAssignmentOperation { Target: ILocalReferenceOperation target, Value.ConstantValue.HasValue: false } => target.Local,
                ICoalesceAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
                _ => null,
            };
            if (written is not null && !IsDeclaredWithin(written, loop))
            {
                writtenInLoop.Add(written);
            }
        }

        return writtenInLoop.Count > 0 && call.Arguments.Any(argument =>
            argument.Value.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(r => writtenInLoop.Contains(r.Local)));
    }

    private static bool IsDeclaredWithin(ILocalSymbol local, ILoopOperation loop) =>
        loop.Locals.Contains(local, SymbolEqualityComparer.Default) ||
        loop.Body.DescendantsAndSelf().OfType<IVariableDeclaratorOperation>().Any(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local));
}
