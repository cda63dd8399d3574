using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace MicroBatching.Analyzers.ResultCount;

/// <summary>
/// MBAT101: a batch method whose returned collection provably has a different count than its items. MBAT104: one whose
/// returned collection is computed from a local holding a count-changing operator over the items, such as Distinct.
/// Reports only what <see cref="ResultCountProof"/> can show and stays silent otherwise; the runtime check is the guarantee.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ResultCountAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ResultCountMismatch, DiagnosticDescriptors.ResultFromCountChangingOperator);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        // Operation trees are built only for batch methods, not for every body in the compilation.
        context.RegisterForMicroBatchingCompilations((start, _) => start.RegisterSymbolStartAction(StartMethod, SymbolKind.Method));
    }

    private static void StartMethod(SymbolStartAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (MicroBatchedSettings.Find(method) is not { } attribute)
        {
            return;
        }

        // The keyed form cannot misalign: each result is found by its key.
        BatchMethodShape? shape = BatchMethodShape.TryCreate(method, out _);
        if (shape is null || shape.IsKeyed)
        {
            return;
        }

        int maxSize = MicroBatchedSettings.From(attribute).MaxSize;
        context.RegisterOperationBlockAction(block => AnalyzeBlock(block, method, maxSize));
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, IMethodSymbol method, int maxSize)
    {
        var proof = new ResultCountProof(method, maxSize, context.OperationBlocks);
        foreach (IReturnOperation returned in proof.Returns)
        {
            if (returned.ReturnedValue is not { } value)
            {
                continue;
            }

            Location location = ResultCountProof.ReturnedCollection(value).Syntax.GetLocation();
            if (proof.Explain(value) is { } reason && !proof.IsRightForGuardedCount(returned, value))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ResultCountMismatch, location, method.Name, reason));
            }
            else if (proof.DerivedFromCountChangingLocal(value) is ({ } local, { } linqOperator))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.ResultFromCountChangingOperator, location, method.Name, local, linqOperator, proof.ItemsName));
            }
        }
    }
}
