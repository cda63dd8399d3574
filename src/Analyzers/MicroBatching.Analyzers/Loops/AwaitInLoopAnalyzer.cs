using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace MicroBatching.Analyzers.Loops;

/// <summary>
/// MBAT201: a generated single-item wrapper awaited inside a <c>foreach</c> or <c>for</c> loop, one item per iteration.
/// Silent when iterations depend on each other: the item is computed from a variable the loop assigns, or the loop can
/// stop early (break, return, goto, yield) on what it has seen so far.
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
        if (WrapperCall(await, known) is not { } call ||
            OperationHelpers.EnclosingLoop(await) is not { } loop ||
            loop is not (IForEachLoopOperation or IForLoopOperation) ||
            !IsWithin(await, loop.Body) ||
            MayStopEarly(loop) ||
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

    // The item passed to the wrapper reads a variable declared outside the loop and written inside it.
    private static bool DependsOnEarlierIterations(IInvocationOperation call, ILoopOperation loop)
    {
        var writtenInLoop = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (IOperation operation in loop.Body.DescendantsAndSelf())
        {
            ILocalSymbol? written = operation switch
            {
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
                ICompoundAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
                ICoalesceAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
                IIncrementOrDecrementOperation { Target: ILocalReferenceOperation target } => target.Local,
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
