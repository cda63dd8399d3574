namespace MicroBatching.SourceGeneration.Models;

/// <summary>Everything the DAG emitter needs for one <c>[BatchDag]</c> class: strings, numbers and enums only, so it compares by value.</summary>
/// <param name="Nodes">The nodes some output depends on, dependencies first.</param>
/// <param name="Outputs">The output nodes' method names, in declaration order.</param>
/// <param name="InputType">The executor's input type: the one input's type, or the generated <c>Input</c>.</param>
/// <param name="OutputType">The executor's result type: the one output's type, or the generated <c>Output</c>.</param>
internal sealed record DagModel(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string GraphName,
    bool IsStatic,
    string Accessibility,
    EquatableArray<DagInputModel> Inputs,
    EquatableArray<DagNodeModel> Nodes,
    EquatableArray<string> Outputs,
    string InputType,
    string OutputType,
    int MaxParallelism,
    int StreamWindow,
    string Diagram);

/// <summary>An input of the graph: the parameter name nodes use, its property in <c>Input</c>, its type.</summary>
internal sealed record DagInputModel(string Name, string PropertyName, string Type);

/// <summary>One node: how to call its method, and its settings.</summary>
internal sealed record DagNodeModel(
    string MethodName,
    string BatcherName,
    bool IsStatic,
    bool IsList,
    EquatableArray<DagArgumentModel> Arguments,
    bool HasCancellationToken,
    ReturnAwaitKind ReturnAwaitKind,
    ResultCollectionKind ResultCollectionKind,
    string ResultType,
    int MaxSize,
    int MaxWaitMs,
    int MaxConcurrency);

/// <summary>
/// A node parameter: fed by <see cref="ProducerNode"/>, whose results are <see cref="SourceType"/> (the element type or
/// one that converts to it), or by the graph input <see cref="InputName"/>.
/// </summary>
internal sealed record DagArgumentModel(string ParameterName, string ElementType, string SourceType, ItemListKind ListKind, string? ProducerNode, string? InputName);
