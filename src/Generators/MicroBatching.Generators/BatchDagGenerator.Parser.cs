using System.Text;
using MicroBatching.SourceGeneration.Models;
using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

public sealed partial class BatchDagGenerator
{
    /// <summary>Turns a <c>[BatchDag]</c> class into a model, or <see langword="null"/> if its graph has an error.</summary>
    internal static class Parser
    {
        public static DagModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type || context.Attributes.Length == 0)
            {
                return null;
            }

            DagGraph graph = DagGraph.Create(type, context.Attributes[0], cancellationToken);
            // Half-typed code: a parameter whose name is still missing names no input yet.
            if (graph.HasErrors || graph.Needed.Count == 0 || graph.Needed.Any(n => n.Arguments.Any(a => a.Parameter.Name.Length == 0)))
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var usedInputs = new HashSet<string>(graph.Needed.SelectMany(n => n.Arguments).Where(a => a.Producer is null).Select(a => a.Parameter.Name));
            DagInput[] inputs = [.. graph.Inputs.Where(i => usedInputs.Contains(i.Name))];
            DagNodeShape[] outputs = [.. graph.Nodes.Where(n => n.Settings.Output)];
            string graphName = type.ToDisplayString();

            ITypeSymbol[] signatureTypes = [.. inputs.Select(i => i.Type), .. outputs.Select(o => o.ResultType)];
            return new DagModel(
                HintName: $"{TypeDeclarations.HintPrefix(type)}.BatchDag.g.cs",
                Namespace: TypeDeclarations.Namespace(type),
                ContainingTypes: TypeDeclarations.ContainingTypes(type),
                GraphName: graphName,
                IsStatic: graph.Needed.All(n => n.Method.IsStatic),
                Accessibility: SignatureAccessibility.ToKeywords(SignatureAccessibility.For(signatureTypes)),
                Inputs: new([.. inputs.Select(i => new DagInputModel(i.Name, PropertyName(i.Name), Display(i.Type)))]),
                Nodes: new([.. graph.Needed.Select(n => Node(n, graphName))]),
                Outputs: new([.. outputs.Select(o => o.Name)]),
                InputType: inputs.Length == 1 ? Display(inputs[0].Type) : "Input",
                OutputType: outputs.Length == 1 ? Display(outputs[0].ResultType) : "Output",
                MaxParallelism: graph.MaxParallelism,
                StreamWindow: graph.StreamWindow,
                Diagram: Diagram(graph, inputs));
        }

        private static DagNodeModel Node(DagNodeShape node, string graphName) => new(
            MethodName: node.Name,
            BatcherName: $"{graphName}.{node.Name}",
            IsStatic: node.Method.IsStatic,
            IsList: node.IsList,
            Arguments: new([.. node.Arguments.Select(a => new DagArgumentModel(
                TypeDeclarations.Escape(a.Parameter.Name), Display(a.ElementType), Display(a.Producer?.ResultType ?? a.ElementType),
                a.ListKind, a.Producer?.Name, a.Producer is null ? a.Parameter.Name : null))]),
            HasCancellationToken: node.HasCancellationToken,
            ReturnAwaitKind: node.ReturnAwaitKind,
            ResultCollectionKind: node.ResultCollectionKind,
            ResultType: Display(node.ResultType),
            MaxSize: node.Settings.MaxSize,
            MaxWaitMs: node.Settings.MaxWaitMs,
            MaxConcurrency: node.Settings.MaxConcurrency);

        private static string Display(ITypeSymbol type) => type.ToDisplayString(TypeDeclarations.TypeFormat);

        // review → Review; an escaped keyword keeps its meaning once capitalised (@class → Class).
        private static string PropertyName(string parameterName) =>
            TypeDeclarations.Escape(char.ToUpperInvariant(parameterName[0]) + parameterName.Substring(1));

        // A Mermaid flowchart: inputs as parallelograms, nodes as boxes with their size, outputs as stadiums.
        private static string Diagram(DagGraph graph, IReadOnlyList<DagInput> inputs)
        {
            var diagram = new StringBuilder("flowchart LR\n");
            foreach (DagInput input in inputs)
            {
                diagram.Append($"    input_{input.Name}[/\"{input.Name}: {Mermaid(input.Type.ToDisplayString())}\"/]\n");
            }

            foreach (DagNodeShape node in graph.Needed)
            {
                string label = node.IsList ? $"{node.Name} · MaxSize {node.Settings.MaxSize}" : $"{node.Name} · per item";
                diagram.Append(node.Settings.Output ? $"    {node.Name}([\"{label}\"])\n" : $"    {node.Name}[\"{label}\"]\n");
            }

            foreach (DagNodeShape node in graph.Needed)
            {
                foreach (DagArgumentShape argument in node.Arguments)
                {
                    string from = argument.Producer is { } producer ? producer.Name : $"input_{argument.Parameter.Name}";
                    diagram.Append($"    {from} --> {node.Name}\n");
                }
            }

            return diagram.ToString();
        }

        private static string Mermaid(string text) => text.Replace("\"", "#quot;").Replace("<", "#lt;").Replace(">", "#gt;");
    }
}
