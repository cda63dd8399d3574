using MicroBatching.SourceGeneration.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroBatching.SourceGeneration;

/// <summary>
/// Turns each <c>[BatchDag]</c> class into a typed executor: <c>ExecuteAsync</c> (micro-batched at every node),
/// <c>ExecuteBatchAsync</c>, <c>ExecuteStreamAsync</c> and <c>GraphDiagram</c>, wired to the runtime's
/// <c>BatchDagRun</c>. A graph with an error gets no code; the analyzers report it (MBAT301-MBAT304).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class BatchDagGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<DagModel> graphs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.BatchDagAttributeMetadataName,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (context, cancellationToken) => Parser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.DagGraphs)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidDagGraphs);

        context.RegisterSourceOutput(graphs, static (context, model) => context.AddSource(model.HintName, Emitter.Emit(model)));
    }
}
