using MicroBatching.SourceGeneration.Models;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroBatching.SourceGeneration;

public sealed partial class MicroBatchedGenerator
{
    /// <summary>Writes the generated members of one batch method.</summary>
    internal static class Emitter
    {
        private const string CancellationTokenType = GeneratedSource.CancellationToken;
        private const string Collections = GeneratedSource.Collections;
        private const string Tasks = GeneratedSource.Tasks;

        private static readonly string s_generatedCode = GeneratedSource.GeneratedCodeAttribute;

        public static string Emit(BatchMethodModel model)
        {
            var writer = new SourceWriter();
            using (GeneratedSource.OpenFile(writer, model.Namespace, model.ContainingTypes, model.IsStatic, [new DeclaredName(model.BatcherName, HasItemCost: model.ItemCost is not null)]))
            {
                WriteBatcher(writer, model);
                writer.Line();
                WriteWrapper(writer, model);
                writer.Line();
                WriteManyWrapper(writer, model);
            }

            return writer.ToString();
        }

        private static void WriteBatcher(SourceWriter writer, BatchMethodModel model)
        {
            string batcherType = BatcherType(model);
            string field = TypeNames.GeneratedFieldPrefix + model.BatcherPropertyName;
            string fieldReference = model.IsStatic ? field : $"this.{field}";
            string modifiers = Modifiers(model);

            writer.Line($"private {(model.IsStatic ? "static " : "")}{batcherType}? {field};");
            writer.Line();
            writer.Line("/// <summary>");
            writer.Line($"/// The micro-batcher behind <c>{model.WrapperName}</c> and <c>{model.ManyName}</c>, which calls <c>{model.BatchMethodName}</c>;");
            writer.Line($"/// created on first use, one {(model.IsStatic ? "per type" : "per instance")}. Read its statistics from it, or drain it with <c>DisposeAsync</c>.");
            writer.Line("/// </summary>");
            writer.Line(s_generatedCode);
            writer.Line(MemberAttribute(model, MicroBatchedMemberKind.Batcher));
            string registry = model.IsStatic ? $"{GeneratedSource.Runtime}.MicroBatcherRegistry.Default" : $"{GeneratedSource.Runtime}.MicroBatcherRegistry.For(this)";
            string[]? asReadOnlyList = model.ResultCollectionKind == ResultCollectionKind.IList
                ?
                [
                    $"static {Collections}.IReadOnlyList<{model.ResultElementType}> AsReadOnlyList({Collections}.IList<{model.ResultElementType}> results) =>",
                    $"    results is null ? null! : results as {Collections}.IReadOnlyList<{model.ResultElementType}> ?? new global::System.Collections.ObjectModel.ReadOnlyCollection<{model.ResultElementType}>(results);",
                ]
                : null;
            var queueSettings = new List<string>();
            if (model.DispatchMode is { } dispatchMode)
            {
                queueSettings.Add($"DispatchMode = {EnumValue("BatchDispatchMode", dispatchMode)},");
            }

            if (model.QueueCapacity != 0)
            {
                queueSettings.Add($"QueueCapacity = {model.QueueCapacity},");
            }

            if (model.QueueFullMode is { } queueFullMode)
            {
                queueSettings.Add($"QueueFullMode = {EnumValue("QueueFullMode", queueFullMode)},");
            }

            if (model.MaxCost != 0)
            {
                queueSettings.Add($"MaxBatchCost = {model.MaxCost},");
            }

            if (model.ItemCost is { } itemCost)
            {
                queueSettings.Add($"ItemCost = new global::System.Func<{model.ItemType}, int>({(itemCost.IsStatic ? "" : "this.")}{itemCost.MethodName}),");
            }

            GeneratedSource.WriteLazyBatcher(writer, $"{modifiers}{batcherType} {model.BatcherPropertyName}", batcherType, fieldReference, registry,
                $"{(model.IsKeyed ? "CreateKeyed" : model.HasItemResults ? "CreateItemResults" : "Create")}<{model.ItemType}, {model.ResultType}>", [$"{BatchFunction(model)},"],
                model.MaxSize, model.MaxWaitMs, model.MaxConcurrency, model.BatcherName, asReadOnlyList, queueSettings);
        }

        private static void WriteWrapper(SourceWriter writer, BatchMethodModel model)
        {
            bool valueTask = model.ReturnAwaitKind == ReturnAwaitKind.ValueTask;
            string returnType = valueTask ? $"{Tasks}.ValueTask<{model.ResultType}>" : $"{Tasks}.Task<{model.ResultType}>";
            writer.Line("/// <summary>");
            writer.Line($"/// Processes one item with <c>{model.BatchMethodName}</c>, batched with concurrent calls:");
            writer.Line($"/// at most {model.MaxSize} items per call, waiting at most {model.MaxWaitMs} ms for more.");
            writer.Line("/// </summary>");
            writer.Line(s_generatedCode);
            writer.Line(MemberAttribute(model, MicroBatchedMemberKind.Wrapper));
            writer.Line($"{Modifiers(model)}{returnType} {model.WrapperName}({model.ItemType} {model.ItemParameterName}, {CancellationTokenType} cancellationToken = default)");
            writer.Line($"    => {BatcherAccess(model)}.ProcessAsync({model.ItemParameterName}, cancellationToken){(valueTask ? "" : ".AsTask()")};");
        }

        private static void WriteManyWrapper(SourceWriter writer, BatchMethodModel model)
        {
            writer.Line("/// <summary>");
            writer.Line($"/// Processes many items with <c>{model.BatchMethodName}</c> at once, batched with concurrent calls; returns the results in input order.");
            writer.Line("/// </summary>");
            writer.Line(s_generatedCode);
            writer.Line(MemberAttribute(model, MicroBatchedMemberKind.ManyWrapper));
            writer.Line($"{Modifiers(model)}{Tasks}.Task<{Collections}.IReadOnlyList<{model.ResultType}>> {model.ManyName}({Collections}.IEnumerable<{model.ItemType}> {model.ItemsParameterName}, {CancellationTokenType} cancellationToken = default)");
            writer.Line($"    => {BatcherAccess(model)}.ProcessManyAsync({model.ItemsParameterName}, cancellationToken);");
        }

        // Adapts the batch method to the batcher's function type. The natural shapes pass straight through; the others
        // convert the item list or the results, or await to convert.
        private static string BatchFunction(BatchMethodModel model)
        {
            string items = model.ItemListKind switch
            {
                ItemListKind.IEnumerable => $"({Collections}.IEnumerable<{model.SourceItemType}>)items",
                ItemListKind.IList => $"(items as {Collections}.IList<{model.SourceItemType}> ?? new {Collections}.List<{model.SourceItemType}>(items))",
                ItemListKind.List => $"new {Collections}.List<{model.SourceItemType}>(items)",
                ItemListKind.Array => "global::System.Linq.Enumerable.ToArray(items)",
                _ when model.ItemType != model.SourceItemType => $"({Collections}.IReadOnlyList<{model.SourceItemType}>)items",
                _ => "items",
            };
            string call = $"{(model.IsStatic ? "" : "this.")}{model.BatchMethodName}({items}{(model.HasCancellationToken ? ", cancellationToken" : "")})";

            string resultType = model.IsKeyed
                ? $"{Collections}.IReadOnlyDictionary<{model.ItemType}, {model.ResultType}>"
                : $"{Collections}.IReadOnlyList<{model.ResultElementType}>";
            bool exactResult = model.ResultCollectionKind is ResultCollectionKind.IReadOnlyList ||
                               (model.ResultCollectionKind is ResultCollectionKind.IReadOnlyDictionary && model.ItemType == model.SourceItemType);
            Func<string, string> convert = model.ResultCollectionKind == ResultCollectionKind.IList
                ? expression => $"AsReadOnlyList({expression})"
                : expression => expression;

            return model.ReturnAwaitKind switch
            {
                ReturnAwaitKind.ValueTask when exactResult => $"(items, cancellationToken) => {call}",
                ReturnAwaitKind.Task when exactResult => $"(items, cancellationToken) => new {Tasks}.ValueTask<{resultType}>({call})",
                ReturnAwaitKind.Synchronous => $"(items, cancellationToken) => new {Tasks}.ValueTask<{resultType}>({convert(call)})",
                _ => $"async (items, cancellationToken) => {convert($"await {call}.ConfigureAwait(false)")}",
            };
        }

        private static string EnumValue(string type, string member) =>
            member.StartsWith("(", StringComparison.Ordinal) ? $"(global::MicroBatching.{type}){member}" : $"global::MicroBatching.{type}.{member}";

        private static string BatcherType(BatchMethodModel model) =>
            model.IsKeyed ? $"global::MicroBatching.KeyedMicroBatcher<{model.ItemType}, {model.ResultType}>" :
            model.HasItemResults ? $"global::MicroBatching.ItemResultMicroBatcher<{model.ItemType}, {model.ResultType}>" :
            $"global::MicroBatching.MicroBatcher<{model.ItemType}, {model.ResultType}>";

        private static string BatcherAccess(BatchMethodModel model) =>
            model.IsStatic ? model.BatcherPropertyName : $"this.{model.BatcherPropertyName}";

        private static string Modifiers(BatchMethodModel model) => $"{model.Accessibility} {(model.IsStatic ? "static " : "")}";

        private static string MemberAttribute(BatchMethodModel model, MicroBatchedMemberKind kind) =>
            $"[global::{TypeNames.MicroBatchedMemberAttributeMetadataName}({SymbolDisplay.FormatLiteral(model.BatchMethodName, quote: true)}, " +
            $"global::{TypeNames.MicroBatchingNamespace}.{nameof(MicroBatchedMemberKind)}.{kind}, " +
            $"{TypeNames.BatchMethodIdArgument} = {SymbolDisplay.FormatLiteral(model.BatchMethodId, quote: true)})]";
    }
}
