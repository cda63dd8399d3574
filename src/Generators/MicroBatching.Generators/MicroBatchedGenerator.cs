using MicroBatching.SourceGeneration.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroBatching.SourceGeneration;

/// <summary>
/// Turns each <c>[MicroBatched]</c> list-to-list method into a single-item async wrapper, a many-items wrapper and a
/// property exposing the batcher. Invalid declarations get no code; the analyzers report them.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class MicroBatchedGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<BatchMethodModel> batchMethods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.MicroBatchedAttributeMetadataName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (context, cancellationToken) => Parser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.BatchMethods)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidBatchMethods);

        context.RegisterSourceOutput(batchMethods, static (context, model) =>
            context.AddSource(model.HintName, Emitter.Emit(model)));
    }
}
