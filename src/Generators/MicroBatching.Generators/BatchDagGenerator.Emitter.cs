using MicroBatching.SourceGeneration.Models;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroBatching.SourceGeneration;

public sealed partial class BatchDagGenerator
{
    /// <summary>
    /// Writes the typed wiring of one graph: per node a call adapter (typed lists in, typed results out) and, for
    /// <c>ExecuteAsync</c>, a micro-batcher; then the three execution paths over the runtime's <c>BatchDagRun</c>.
    /// </summary>
    internal static class Emitter
    {
        private const string Tasks = GeneratedSource.Tasks;
        private const string Collections = GeneratedSource.Collections;
        private const string Token = GeneratedSource.CancellationToken;
        private const string Runtime = GeneratedSource.Runtime;
        private const string Prefix = TypeNames.GeneratedFieldPrefix;

        private static readonly string s_generatedCode = GeneratedSource.GeneratedCodeAttribute;

        public static string Emit(DagModel model)
        {
            var writer = new SourceWriter();
            using (GeneratedSource.OpenFile(writer, model.Namespace, model.ContainingTypes, model.IsStatic,
                       [new DeclaredName(model.GraphName, IsGraph: true), .. model.Nodes.Select(n => new DeclaredName(n.BatcherName))]))
            {
                WriteShapes(writer, model);
                WriteBatchPath(writer, model);
                writer.Line();
                WriteStreamPath(writer, model);
                writer.Line();
                WriteOnlinePath(writer, model);
                foreach (DagNodeModel node in model.Nodes)
                {
                    writer.Line();
                    WriteCallAdapter(writer, node);
                    if (node.IsList)
                    {
                        writer.Line();
                        WriteNodeBatcher(writer, model, node);
                    }
                }
            }

            return writer.ToString();
        }

        private static void WriteShapes(SourceWriter writer, DagModel model)
        {
            writer.Line("/// <summary>The graph as a Mermaid flowchart: inputs, nodes with their MaxSize, edges and outputs.</summary>");
            writer.Line(s_generatedCode);
            writer.Line($"public const string GraphDiagram = {SymbolDisplay.FormatLiteral(model.Diagram, quote: true)};");
            writer.Line();
            writer.Line($"private static readonly {Runtime}.BatchDagOptions {Prefix}DagOptions = new {Runtime}.BatchDagOptions");
            writer.Line("{");
            writer.Line($"    Name = {SymbolDisplay.FormatLiteral(model.GraphName, quote: true)},");
            writer.Line($"    MaxParallelism = {model.MaxParallelism},");
            writer.Line($"    StreamWindow = {model.StreamWindow},");
            writer.Line("};");
            if (model.Inputs.Count > 1)
            {
                writer.Line();
                writer.Line("/// <summary>The inputs of one execution of the graph.</summary>");
                writer.Line(s_generatedCode);
                writer.Line($"{model.Accessibility} readonly record struct Input({string.Join(", ", model.Inputs.Select(i => $"{i.Type} {i.PropertyName}"))});");
            }

            if (model.Outputs.Count > 1)
            {
                writer.Line();
                writer.Line("/// <summary>The results of one execution of the graph, one per output node.</summary>");
                writer.Line(s_generatedCode);
                writer.Line($"{model.Accessibility} sealed record Output({string.Join(", ", model.Outputs.Select(o => $"{Node(model, o).ResultType} {TypeDeclarations.Escape(o)}"))});");
            }

            writer.Line();
        }

        private static void WriteBatchPath(SourceWriter writer, DagModel model)
        {
            string results = $"{Collections}.IReadOnlyList<{Runtime}.BatchItemResult<{model.OutputType}>>";
            writer.Line("/// <summary>");
            writer.Line("/// Runs the graph over many inputs, every node in chunks of its MaxSize; results come back aligned with the inputs.");
            writer.Line("/// A failed node call fails exactly its inputs. Throws only for cancellation or a null argument.");
            writer.Line("/// </summary>");
            writer.Line(s_generatedCode);
            using (writer.Block($"{Modifiers(model)}async {Tasks}.Task<{results}> ExecuteBatchAsync({Collections}.IReadOnlyList<{model.InputType}> inputs, {Token} cancellationToken = default)"))
            {
                writer.Line("global::System.ArgumentNullException.ThrowIfNull(inputs);");
                writer.Line($"var {Prefix}registry = {Registry(model)};");
                writer.Line($"var {Prefix}run = new {Runtime}.BatchDagRun(inputs.Count, {Prefix}registry.GetDagOptions({Prefix}DagOptions), cancellationToken);");
                foreach (DagInputModel input in model.Inputs)
                {
                    string values = model.Inputs.Count == 1
                        ? "inputs"
                        : $"global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.Select(inputs, static {Prefix}input => {Prefix}input.{input.PropertyName}))";
                    writer.Line($"var {Column(input.Name, isInput: true)} = {Prefix}run.Input({values});");
                }

                foreach (DagNodeModel node in model.Nodes)
                {
                    string dependencies = string.Join(", ", node.Arguments.Select(ArgumentColumn));
                    string call = Self(node) + $"{Prefix}Call_{node.MethodName}";
                    if (node.IsList)
                    {
                        string arguments = string.Join(", ", node.Arguments.Select(a => $"{Prefix}chunk.Of({ArgumentColumn(a)})"));
                        string size = $"{Prefix}registry.GetOptions(new {Runtime}.MicroBatchOptions {{ Name = {Literal(node.BatcherName)}, MaxBatchSize = {node.MaxSize} }}).MaxBatchSize";
                        writer.Line($"var {Column(node.MethodName, isInput: false)} = {Prefix}run.Node<{node.ResultType}>({Literal(node.BatcherName)}, {size}, [{dependencies}],");
                        writer.Line($"    ({Prefix}chunk, {Prefix}token) => {call}({arguments}, {Prefix}token));");
                    }
                    else
                    {
                        string arguments = string.Join(", ", node.Arguments.Select(a => $"{ArgumentColumn(a)}[{Prefix}index]"));
                        writer.Line($"var {Column(node.MethodName, isInput: false)} = {Prefix}run.ItemNode<{node.ResultType}>({Literal(node.BatcherName)}, [{dependencies}],");
                        writer.Line($"    ({Prefix}index, {Prefix}token) => {call}({arguments}, {Prefix}token));");
                    }
                }

                string outputs = string.Join(", ", model.Outputs.Select(o => Column(o, isInput: false)));
                string result = model.Outputs.Count == 1
                    ? $"{Column(model.Outputs[0], isInput: false)}[{Prefix}index]"
                    : $"new Output({string.Join(", ", model.Outputs.Select(o => $"{Column(o, isInput: false)}[{Prefix}index]"))})";
                writer.Line($"return await {Prefix}run.ResultsAsync([{outputs}], {Prefix}index => {result}).ConfigureAwait(false);");
            }
        }

        private static void WriteStreamPath(SourceWriter writer, DagModel model)
        {
            writer.Line("/// <summary>");
            writer.Line($"/// Runs the graph over a stream, StreamWindow inputs at a time ({model.StreamWindow} unless configured), reading the next window while one runs;");
            writer.Line("/// results come back in input order. At most two windows of inputs are in memory.");
            writer.Line("/// </summary>");
            writer.Line(s_generatedCode);
            writer.Line($"{Modifiers(model)}{Collections}.IAsyncEnumerable<{Runtime}.BatchItemResult<{model.OutputType}>> ExecuteStreamAsync({Collections}.IAsyncEnumerable<{model.InputType}> inputs, {Token} cancellationToken = default)");
            writer.Line($"    => {Runtime}.BatchDagStream.ExecuteAsync<{model.InputType}, {model.OutputType}>(");
            writer.Line($"        inputs, {Registry(model)}.GetDagOptions({Prefix}DagOptions).StreamWindow, ExecuteBatchAsync, cancellationToken);");
        }

        // The gate that bounds ExecuteAsync's node calls across the graph, created on first use with the configured MaxParallelism.
        private static void WriteGate(SourceWriter writer, DagModel model)
        {
            string gate = $"{Runtime}.BatchDagGate";
            string staticModifier = model.IsStatic ? "static " : "";
            string field = model.IsStatic ? $"{Prefix}GateField" : $"this.{Prefix}GateField";
            writer.Line($"private {staticModifier}{gate}? {Prefix}GateField;");
            writer.Line();
            writer.Line(s_generatedCode);
            writer.Line($"private {staticModifier}{gate} {Prefix}Gate =>");
            writer.Line($"    global::System.Threading.Volatile.Read(ref {field}) ??");
            writer.Line($"    global::System.Threading.Interlocked.CompareExchange(ref {field}, new {gate}({Registry(model)}.GetDagOptions({Prefix}DagOptions).MaxParallelism), null) ??");
            writer.Line($"    {field}!;");
        }

        private static void WriteOnlinePath(SourceWriter writer, DagModel model)
        {
            WriteGate(writer, model);
            writer.Line();
            string parameters = string.Join(", ", model.Inputs.Select(i => $"{i.Type} {TypeDeclarations.Escape(i.Name)}"));
            writer.Line("/// <summary>");
            writer.Line("/// Runs the graph for one input. Concurrent calls are micro-batched at every node, with that node's settings;");
            writer.Line("/// a failed node call faults exactly the executions whose items were in it.");
            writer.Line("/// </summary>");
            writer.Line(s_generatedCode);
            using (writer.Block($"{Modifiers(model)}async {Tasks}.Task<{model.OutputType}> ExecuteAsync({parameters}, {Token} cancellationToken = default)"))
            {
                foreach (DagNodeModel node in model.Nodes)
                {
                    string arguments = string.Join(", ", node.Arguments.Select(a => a.ProducerNode is { } producer ? Column(producer, isInput: false) : TypeDeclarations.Escape(a.InputName!)));
                    writer.Line($"{Tasks}.Task<{node.ResultType}> {Column(node.MethodName, isInput: false)} = {Self(node)}{Prefix}Online_{node.MethodName}({arguments}, cancellationToken);");
                }

                // Every node's task is awaited, so a failure in one branch is never left unobserved in another.
                writer.Line($"await {Tasks}.Task.WhenAll({string.Join(", ", model.Nodes.Select(n => $"({Tasks}.Task){Column(n.MethodName, isInput: false)}"))}).ConfigureAwait(false);");
                writer.Line(model.Outputs.Count == 1
                    ? $"return await {Column(model.Outputs[0], isInput: false)}.ConfigureAwait(false);"
                    : $"return new Output({string.Join(", ", model.Outputs.Select(o => $"await {Column(o, isInput: false)}.ConfigureAwait(false)"))});");
            }

            foreach (DagNodeModel node in model.Nodes)
            {
                writer.Line();
                string parametersOfNode = string.Join(", ", node.Arguments.Select(a =>
                    a.ProducerNode is not null ? $"{Tasks}.Task<{a.SourceType}> {a.ParameterName}" : $"{a.ElementType} {a.ParameterName}"));
                writer.Line(s_generatedCode);
                using (writer.Block($"private {(node.IsStatic && model.IsStatic ? "static " : "")}async {Tasks}.Task<{node.ResultType}> {Prefix}Online_{node.MethodName}({parametersOfNode}, {Token} cancellationToken)"))
                {
                    var values = new List<string>();
                    foreach (DagArgumentModel argument in node.Arguments)
                    {
                        if (argument.ProducerNode is not null)
                        {
                            writer.Line($"{argument.ElementType} {Prefix}{argument.ParameterName.TrimStart('@')} = await {argument.ParameterName}.ConfigureAwait(false);");
                            values.Add($"{Prefix}{argument.ParameterName.TrimStart('@')}");
                        }
                        else
                        {
                            values.Add(argument.ParameterName);
                        }
                    }

                    string item = values.Count == 1 ? values[0] : $"({string.Join(", ", values)})";
                    writer.Line(node.IsList
                        ? $"return await {Self(node)}{Prefix}{node.MethodName}Batcher.ProcessAsync({item}, cancellationToken).ConfigureAwait(false);"
                        : $"return await {GateAccess(model)}.RunAsync({Prefix}token => {Self(node)}{Prefix}Call_{node.MethodName}({string.Join(", ", values)}, {Prefix}token), cancellationToken).ConfigureAwait(false);");
                }
            }
        }

        // Adapts typed lists (or single values) to the node method's own parameter and result shapes.
        private static void WriteCallAdapter(SourceWriter writer, DagNodeModel node)
        {
            string staticModifier = node.IsStatic ? "static " : "";
            string method = $"{(node.IsStatic ? "" : "this.")}{TypeDeclarations.Escape(node.MethodName)}";
            string token = node.HasCancellationToken ? ", cancellationToken" : "";
            writer.Line(s_generatedCode);
            if (!node.IsList)
            {
                string parameters = string.Join(", ", node.Arguments.Select(a => $"{a.ElementType} {a.ParameterName}"));
                string call = $"{method}({string.Join(", ", node.Arguments.Select(a => a.ParameterName))}{token})";
                string body = node.ReturnAwaitKind switch
                {
                    ReturnAwaitKind.ValueTask => call,
                    _ => $"new {Tasks}.ValueTask<{node.ResultType}>({call})",
                };
                writer.Line($"private {staticModifier}{Tasks}.ValueTask<{node.ResultType}> {Prefix}Call_{node.MethodName}({parameters}, {Token} cancellationToken)");
                writer.Line($"    => {body};");
                return;
            }

            string listParameters = string.Join(", ", node.Arguments.Select(a => $"{Collections}.IReadOnlyList<{a.ElementType}> {a.ParameterName}"));
            string listCall = $"{method}({string.Join(", ", node.Arguments.Select(ConvertList))}{token})";
            string resultList = $"{Collections}.IReadOnlyList<{node.ResultType}>";
            bool exact = node.ResultCollectionKind == ResultCollectionKind.IReadOnlyList;
            bool copy = node.ResultCollectionKind == ResultCollectionKind.IList;
            string Convert(string expression) => copy ? $"global::System.Linq.Enumerable.ToArray({expression})" : expression;
            string listBody = node.ReturnAwaitKind switch
            {
                ReturnAwaitKind.ValueTask when exact => listCall,
                ReturnAwaitKind.Task when exact => $"new {Tasks}.ValueTask<{resultList}>({listCall})",
                ReturnAwaitKind.Synchronous => $"new {Tasks}.ValueTask<{resultList}>({Convert(listCall)})",
                _ => null!,
            };
            if (listBody is null)
            {
                writer.Line($"private {staticModifier}async {Tasks}.ValueTask<{resultList}> {Prefix}Call_{node.MethodName}({listParameters}, {Token} cancellationToken)");
                writer.Line($"    => {Convert($"await {listCall}.ConfigureAwait(false)")};");
                return;
            }

            writer.Line($"private {staticModifier}{Tasks}.ValueTask<{resultList}> {Prefix}Call_{node.MethodName}({listParameters}, {Token} cancellationToken)");
            writer.Line($"    => {listBody};");
        }

        private static string ConvertList(DagArgumentModel argument) => argument.ListKind switch
        {
            ItemListKind.Array => $"global::System.Linq.Enumerable.ToArray({argument.ParameterName})",
            ItemListKind.List => $"new {Collections}.List<{argument.ElementType}>({argument.ParameterName})",
            ItemListKind.IList => $"({argument.ParameterName} as {Collections}.IList<{argument.ElementType}> ?? new {Collections}.List<{argument.ElementType}>({argument.ParameterName}))",
            _ => argument.ParameterName,
        };

        // The micro-batcher behind ExecuteAsync at a list node: its item is the node's one value, or a tuple of them.
        private static void WriteNodeBatcher(SourceWriter writer, DagModel model, DagNodeModel node)
        {
            bool isStatic = node.IsStatic && model.IsStatic;
            string item = node.Arguments.Count == 1 ? node.Arguments[0].ElementType : $"({string.Join(", ", node.Arguments.Select(a => a.ElementType))})";
            string batcher = $"{Runtime}.MicroBatcher<{item}, {node.ResultType}>";
            string field = $"{Prefix}{node.MethodName}BatcherField";
            string fieldReference = isStatic ? field : $"this.{field}";
            string registry = Registry(model);
            string call = $"{Self(node)}{Prefix}Call_{node.MethodName}";
            string gate = GateAccess(model);

            writer.Line($"private {(isStatic ? "static " : "")}{batcher}? {field};");
            writer.Line();
            writer.Line(s_generatedCode);
            string[] batchFunction = node.Arguments.Count == 1
                ? [$"(items, cancellationToken) => {gate}.RunAsync({Prefix}token => {call}(items, {Prefix}token), cancellationToken),"]
                :
                [
                    "(items, cancellationToken) =>",
                    "{",
                    .. node.Arguments.Select((a, i) => $"    var {Prefix}arg{i} = new {ArrayOf(a.ElementType)};"),
                    "    for (int i = 0; i < items.Count; i++)",
                    "    {",
                    .. node.Arguments.Select((_, i) => $"        {Prefix}arg{i}[i] = items[i].Item{i + 1};"),
                    "    }",
                    "",
                    $"    return {gate}.RunAsync({Prefix}token => {call}({string.Join(", ", node.Arguments.Select((_, i) => $"{Prefix}arg{i}"))}, {Prefix}token), cancellationToken);",
                    "},",
                ];
            GeneratedSource.WriteLazyBatcher(writer, $"private {(isStatic ? "static " : "")}{batcher} {Prefix}{node.MethodName}Batcher", batcher,
                fieldReference, registry, $"Create<{item}, {node.ResultType}>", batchFunction, node.MaxSize, node.MaxWaitMs, node.MaxConcurrency, node.BatcherName);
        }

        // "new T[items.Count]", with an array element type's own brackets after the count: float[] gives new float[items.Count][].
        private static string ArrayOf(string elementType)
        {
            int brackets = elementType.IndexOf('[');
            return brackets < 0 ? $"{elementType}[items.Count]" : $"{elementType.Substring(0, brackets)}[items.Count]{elementType.Substring(brackets)}";
        }

        private static DagNodeModel Node(DagModel model, string methodName) => model.Nodes.First(n => n.MethodName == methodName);

        private static string ArgumentColumn(DagArgumentModel argument) =>
            argument.ProducerNode is { } producer ? Column(producer, isInput: false) : Column(argument.InputName!, isInput: true);

        private static string Column(string name, bool isInput) => isInput ? $"{Prefix}input_{name}" : $"{Prefix}node_{name}";

        private static string Self(DagNodeModel node) => node.IsStatic ? "" : "this.";

        private static string GateAccess(DagModel model) => model.IsStatic ? $"{Prefix}Gate" : $"this.{Prefix}Gate";

        // The registry whose settings apply: the one the graph object is attached to (a host's), or the default.
        private static string Registry(DagModel model) =>
            model.IsStatic ? $"{Runtime}.MicroBatcherRegistry.Default" : $"{Runtime}.MicroBatcherRegistry.For(this)";

        private static string Modifiers(DagModel model) => $"{model.Accessibility} {(model.IsStatic ? "static " : "")}";

        private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);
    }
}
