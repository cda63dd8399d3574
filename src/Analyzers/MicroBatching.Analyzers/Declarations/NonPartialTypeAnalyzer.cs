using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroBatching.Analyzers.Declarations;

/// <summary>
/// MBAT002: a type that declares a <c>[MicroBatched]</c> method, or encloses one that does, must be partial. Reported once
/// per type, on its name.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NonPartialTypeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.TypeNotPartial);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterForMicroBatchingCompilations((start, _) => start.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType));
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (PartialDeclarations.IsPartial(type, context.CancellationToken) || !ContainsBatchMethod(type))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TypeNotPartial, type.Locations.FirstOrDefault() ?? Location.None, type.Name));
    }

    private static bool ContainsBatchMethod(INamedTypeSymbol type) =>
        type.GetMembers().Any(member => member is IMethodSymbol method && MicroBatchedSettings.Find(method) is not null) ||
        type.GetTypeMembers().Any(ContainsBatchMethod);
}
