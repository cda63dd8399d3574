using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace MicroBatching.Analyzers.Blocking;

/// <summary>
/// MBAT103: a synchronous wait on the task of a generated wrapper, anywhere. MBAT102: any other blocking call inside a
/// batch method, its lambdas and its local functions. A wait on a task already known to be complete is not blocking.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingWaitAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.BlockingCallInBatchMethod, DiagnosticDescriptors.BlockingWaitOnWrapper);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.Create(start.Compilation) is { } known)
            {
                start.RegisterOperationAction(
                    operation => AnalyzeOperation(operation, known), OperationKind.PropertyReference, OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeOperation(OperationAnalysisContext context, KnownSymbols known)
    {
        if (BlockingWait.TryCreate(context.Operation, known) is not { } wait)
        {
            return;
        }

        // The rest is rare: only for an actual wait does it look at the whole body the operation belongs to.
        ImmutableArray<IOperation> body = ImmutableArray.Create(Root(context.Operation));
        if (new CompletedTaskEvidence(body).IsKnownComplete(wait))
        {
            return;
        }

        var wrappers = new WrapperTasks(known, body);
        IMethodSymbol? wrapper = wait.Task is not null
            ? wrappers.WrapperOf(wait.Task)
            : wait.Tasks.Select(wrappers.WrapperOf).FirstOrDefault(w => w is not null);

        string blocking = Describe(wait);
        if (wrapper is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingWaitOnWrapper, wait.Operation.Syntax.GetLocation(), blocking, wrapper.Name));
        }
        else if (known.IsBatchMethod(context.ContainingSymbol))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingCallInBatchMethod, wait.Operation.Syntax.GetLocation(), blocking, context.ContainingSymbol.Name));
        }
    }

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }

    private static string Describe(BlockingWait wait) => wait.Kind switch
    {
        BlockingWaitKind.Result => ".Result",
        BlockingWaitKind.Wait => ".Wait()",
        BlockingWaitKind.GetResult => ".GetAwaiter().GetResult()",
        BlockingWaitKind.WaitAll => "Task.WaitAll",
        BlockingWaitKind.WaitAny => "Task.WaitAny",
        _ => "Thread.Sleep",
    };
}
