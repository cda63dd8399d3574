using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroBatching.Analyzers.Dag;

/// <summary>
/// Checks each <c>[BatchDag]</c> class as the generator reads it (<see cref="DagGraph"/>): cycles (MBAT301), mistyped edges
/// and inputs (MBAT302), invalid declarations (MBAT303), unused nodes (MBAT304) and node settings out of range (MBAT003).
/// Reported from the type's symbol action, so the make-partial code fix can act on MBAT303.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BatchDagAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.DagCycle, DiagnosticDescriptors.DagEdgeType, DiagnosticDescriptors.InvalidDag,
        DiagnosticDescriptors.UnusedDagNode, DiagnosticDescriptors.InvalidSetting);

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
        AttributeData? attribute = type.GetAttributes().FirstOrDefault(a =>
            a.AttributeClass is { } c && TypeNameMatcher.IsType(c, TypeNames.MicroBatchingNamespace, TypeNames.BatchDagAttribute, 0));
        if (attribute is null)
        {
            return;
        }

        DagGraph graph = DagGraph.Create(type, attribute, context.CancellationToken);
        foreach (DagProblem problem in graph.Problems)
        {
            IReadOnlyList<string> a = problem.Arguments;
            (DiagnosticDescriptor descriptor, object[] arguments) = problem.Kind switch
            {
                DagProblemKind.Cycle => (DiagnosticDescriptors.DagCycle, new object[] { type.Name, a[0] }),
                DagProblemKind.EdgeTypeMismatch => (DiagnosticDescriptors.DagEdgeType,
                    [$"Parameter '{a[0]}' of node '{problem.Symbol.Name}' takes '{a[3]}', but node '{a[1]}' produces '{a[2]}'"]),
                DagProblemKind.InputTypeConflict => (DiagnosticDescriptors.DagEdgeType,
                    [$"The graph input '{a[0]}' is taken as '{a[1]}' and, by node '{problem.Symbol.Name}', as '{a[2]}'"]),
                DagProblemKind.NoOutput => (DiagnosticDescriptors.InvalidDag,
                    [$"'{a[0]}' has no output: mark the node whose results the graph returns with [DagNode(Output = true)]"]),
                DagProblemKind.InvalidNode => (DiagnosticDescriptors.InvalidDag,
                    [$"Node '{a[0]}' is neither list-to-list (list parameters, one result per item) nor single-item (plain parameters and a result)"]),
                DagProblemKind.AmbiguousNodeName => (DiagnosticDescriptors.InvalidDag,
                    [$"Nodes '{a[0]}' and '{a[1]}' differ only in case, so a parameter named like them cannot tell which it consumes"]),
                DagProblemKind.NotPartial => (DiagnosticDescriptors.InvalidDag,
                    [$"'{a[0]}' must be declared partial, with every type enclosing it, so that its executor can be generated into it"]),
                DagProblemKind.InvalidSetting => (DiagnosticDescriptors.InvalidSetting, [a[0], a[1], SettingRule(a[0])]),
                _ => (DiagnosticDescriptors.UnusedDagNode, new object[] { a[0] }),
            };

            Location location = problem.Symbol.Locations.FirstOrDefault() ?? Location.None;
            ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.DagProblemProperty, problem.Kind.ToString());
            context.ReportDiagnostic(Diagnostic.Create(descriptor, location, properties, arguments));
        }
    }

    private static string SettingRule(string setting) => setting switch
    {
        "MaxSize" => $"a node call takes between 1 and {MicroBatchDefaults.MaxBatchSizeLimit} items",
        "MaxWaitMs" => "the wait cannot be negative; 0 dispatches at once",
        _ => "at least one call of the node must be able to run",
    };
}
