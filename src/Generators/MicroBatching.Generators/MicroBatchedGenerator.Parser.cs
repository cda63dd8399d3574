using MicroBatching.SourceGeneration.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroBatching.SourceGeneration;

public sealed partial class MicroBatchedGenerator
{
    /// <summary>Turns a <c>[MicroBatched]</c> method symbol into a model, or <see langword="null"/> if no code may be emitted for it.</summary>
    internal static class Parser
    {
        public static BatchMethodModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol method || context.Attributes.Length == 0)
            {
                return null;
            }

            // Anything the analyzers report gets no code: emitting it would only add compiler errors on top.
            BatchMethodShape? shape = BatchMethodShape.TryCreate(method, out _);
            if (shape is null || !PartialDeclarations.IsPartialWithContainingTypes(method.ContainingType, cancellationToken))
            {
                return null;
            }

            MicroBatchedSettings settings = MicroBatchedSettings.From(context.Attributes[0]);
            GeneratedMemberNames? names = GeneratedMemberNames.TryCreate(method.Name, settings.Name, out _);
            if (names is null || GeneratedMemberConflicts.Find(method, shape, names) is not null)
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            INamedTypeSymbol containingType = method.ContainingType;
            ITypeSymbol itemType = shape.IsKeyed ? shape.ItemType.WithNullableAnnotation(NullableAnnotation.NotAnnotated) : shape.ItemType;
            string listParameterName = method.Parameters[0].Name;

            return new BatchMethodModel(
                HintName: HintName(method),
                Namespace: TypeDeclarations.Namespace(containingType),
                ContainingTypes: TypeDeclarations.ContainingTypes(containingType),
                BatchMethodName: method.Name,
                BatchMethodId: method.GetDocumentationCommentId() ?? method.ToDisplayString(),
                BatcherName: $"{containingType.ToDisplayString()}.{method.Name}",
                IsStatic: method.IsStatic,
                Accessibility: SignatureAccessibility.ToKeywords(SignatureAccessibility.For(shape.ItemType, shape.ResultType)),
                ItemType: itemType.ToDisplayString(TypeDeclarations.TypeFormat),
                SourceItemType: shape.ItemType.ToDisplayString(TypeDeclarations.TypeFormat),
                ResultType: shape.ResultType.ToDisplayString(TypeDeclarations.TypeFormat),
                ItemListKind: shape.ItemListKind,
                HasCancellationToken: shape.HasCancellationToken,
                ReturnAwaitKind: shape.ReturnAwaitKind,
                ResultCollectionKind: shape.ResultCollectionKind,
                WrapperName: names.Wrapper,
                ManyName: names.Many,
                BatcherPropertyName: names.Batcher,
                ItemParameterName: GeneratedMemberNames.ItemParameterName(listParameterName),
                ItemsParameterName: GeneratedMemberNames.ItemsParameterName(listParameterName),
                MaxSize: settings.MaxSize,
                MaxWaitMs: settings.MaxWaitMs,
                MaxConcurrency: settings.MaxConcurrency,
                DispatchMode: settings.DispatchMode == 0 ? null : EnumName(MicroBatchedSettings.DispatchModeNames, settings.DispatchMode),
                QueueCapacity: settings.QueueCapacity,
                QueueFullMode: settings.QueueFullMode == 0 ? null : EnumName(MicroBatchedSettings.QueueFullModeNames, settings.QueueFullMode),
                HasItemResults: shape.HasItemResults,
                MaxCost: settings.MaxCost,
                ItemCost: ItemCostMethod.Check(method, shape.ItemType, settings, out bool costIsStatic) == ItemCostProblem.None && settings.CostMethod is { } costMethod
                    ? new ItemCostCall(costMethod, costIsStatic)
                    : null);
        }

        // An undefined value (MBAT003) is written as a cast, which compiles and fails when the batcher is created.
        private static string EnumName(string[] names, int value) => value >= 0 && value < names.Length ? names[value] : $"({value})";

        // Unique per method, overloads included: the containing types' names with arity, the method name, and a hash
        // of the full signature.
        private static string HintName(IMethodSymbol method)
        {
            string signature = method.GetDocumentationCommentId() ?? method.ToDisplayString();
            return $"{TypeDeclarations.HintPrefix(method.ContainingType)}.{TypeDeclarations.SafeHintName(method.Name)}.{TypeDeclarations.Fnv1a(signature):x8}.g.cs";
        }
    }
}
