using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>What can be wrong with a <c>[BatchDag]</c> graph; the analyzers turn each into a diagnostic.</summary>
internal enum DagProblemKind
{
    /// <summary>MBAT301: nodes that depend on each other in a circle. Arguments: the cycle, as "A → B → A".</summary>
    Cycle,

    /// <summary>MBAT302: an edge whose producer's values cannot be passed to the parameter. Arguments: parameter, producer, its type, the parameter's element type.</summary>
    EdgeTypeMismatch,

    /// <summary>MBAT302: one graph input taken with two different types. Arguments: input, one type, the other.</summary>
    InputTypeConflict,

    /// <summary>MBAT303: no node is marked Output = true. Arguments: the type.</summary>
    NoOutput,

    /// <summary>MBAT303: a node that is neither list-to-list nor single-item. Arguments: the node.</summary>
    InvalidNode,

    /// <summary>MBAT303: two nodes whose names differ only in case. Arguments: both names.</summary>
    AmbiguousNodeName,

    /// <summary>MBAT303: the type, or a type enclosing it, is not partial. Arguments: the type.</summary>
    NotPartial,

    /// <summary>MBAT003: a [DagNode] setting out of range. Arguments: setting, value.</summary>
    InvalidSetting,

    /// <summary>MBAT304 (warning): a node no output depends on. Arguments: the node.</summary>
    UnusedNode,
}

/// <summary>One problem of a graph, with the symbol it is reported on.</summary>
internal sealed class DagProblem
{
    public DagProblem(DagProblemKind kind, ISymbol symbol, params string[] arguments)
    {
        Kind = kind;
        Symbol = symbol;
        Arguments = arguments;
    }

    public DagProblemKind Kind { get; }

    public ISymbol Symbol { get; }

    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Whether the graph can still be generated: only an unused node can.</summary>
    public bool IsError => Kind != DagProblemKind.UnusedNode;
}
