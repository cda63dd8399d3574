using Microsoft.CodeAnalysis;

namespace MicroBatching.Analyzers;

/// <summary>Every diagnostic MicroBatching reports. The IDs are a public contract; each has a page under <c>docs/diagnostics</c>.</summary>
internal static class DiagnosticDescriptors
{
    public const string InvalidSignatureId = "MBAT001";
    public const string TypeNotPartialId = "MBAT002";
    public const string InvalidSettingId = "MBAT003";
    public const string WrapperNameId = "MBAT004";
    public const string ResultCountMismatchId = "MBAT101";
    public const string BlockingCallInBatchMethodId = "MBAT102";
    public const string BlockingWaitOnWrapperId = "MBAT103";
    public const string ResultFromCountChangingOperatorId = "MBAT104";
    public const string AwaitInLoopId = "MBAT201";
    public const string ShortLivedBatcherOwnerId = "MBAT202";
    public const string DagCycleId = "MBAT301";
    public const string DagEdgeTypeId = "MBAT302";
    public const string InvalidDagId = "MBAT303";
    public const string UnusedDagNodeId = "MBAT304";

    /// <summary>The diagnostic property naming the <see cref="SourceGeneration.DagProblemKind"/> behind an MBAT30x, so code fixes can tell them apart.</summary>
    public const string DagProblemProperty = "DagProblem";

    private const string DeclarationCategory = "MicroBatching.Declaration";
    private const string CorrectnessCategory = "MicroBatching.Correctness";
    private const string PerformanceCategory = "MicroBatching.Performance";
    private const string DagCategory = "MicroBatching.Dag";
    private const string HelpLinkBase = "https://github.com/microbatching/microbatching/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor InvalidSignature = Create(
        InvalidSignatureId,
        "[MicroBatched] method has an unsupported signature",
        "'{0}' cannot be batched: it {1}",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        "A [MicroBatched] method must take a list of items (IReadOnlyList<T>, T[], List<T>, IList<T> or IEnumerable<T>), optionally " +
        "followed by a CancellationToken, and return one result per item (IReadOnlyList<R>, IList<R>, List<R>, R[], " +
        "IReadOnlyDictionary<T, R> or Dictionary<T, R>), directly or through Task or ValueTask. No code is generated for it.");

    public static readonly DiagnosticDescriptor TypeNotPartial = Create(
        TypeNotPartialId,
        "Type with a [MicroBatched] method must be partial",
        "'{0}' must be declared partial so that the wrappers of its [MicroBatched] methods can be generated into it",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        "The generator adds the wrappers to the type declaring the batch method, so that type and every type enclosing it must be partial.");

    public static readonly DiagnosticDescriptor InvalidSetting = Create(
        InvalidSettingId,
        "[MicroBatched] setting is out of range or unusable",
        "{0} = {1} cannot be used: {2}",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        $"MaxSize must be between 1 and {MicroBatchDefaults.MaxBatchSizeLimit}, MaxWaitMs at least 0 and MaxConcurrency at least 1, and a cost bound needs a CostMethod of the form int M(TItem); the batcher would throw when first used.");

    public static readonly DiagnosticDescriptor WrapperName = Create(
        WrapperNameId,
        "[MicroBatched] wrapper name cannot be used",
        "No wrapper is generated for '{0}': {1}",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        "The wrapper's name drops 'Batch' from the method name and ends in 'Async' (InferBatchAsync gives InferAsync); set Name on the " +
        "attribute when the method name has no 'Batch', or when a generated member would clash with an existing one.");

    public static readonly DiagnosticDescriptor ResultCountMismatch = Create(
        ResultCountMismatchId,
        "Batch method returns a different number of results than items",
        "'{0}' {1}, so its result count can differ from its item count; every caller of such a batch faults with BatchResultCountMismatchException",
        CorrectnessCategory,
        DiagnosticSeverity.Warning,
        "A batch method must return exactly one result per item, in item order, or callers would receive someone else's result. " +
        "The runtime rejects a mismatched batch; this rule catches the provable cases at build time.");

    public static readonly DiagnosticDescriptor ResultFromCountChangingOperator = Create(
        ResultFromCountChangingOperatorId,
        "Batch result derived from a count-changing operator over the items",
        "'{0}' returns a collection derived from '{1}', which holds the result of '{2}' over '{3}' and can be shorter or longer; map each item to its result instead, such as {3}.Select(item => lookup[item])",
        CorrectnessCategory,
        DiagnosticSeverity.Warning,
        "A batch method must return exactly one result per item, in item order. A result computed from Distinct, Where, Skip, Take, " +
        "GroupBy and the like over the items has the count of that operator's output, not of the items: repeated or filtered items " +
        "shift every later caller's result. Compute over the reduced list if that is cheaper, then map every item back to its result.");

    public static readonly DiagnosticDescriptor BlockingCallInBatchMethod = Create(
        BlockingCallInBatchMethodId,
        "Blocking call inside a batch method",
        "'{0}' blocks a thread inside {1}; await instead",
        PerformanceCategory,
        DiagnosticSeverity.Warning,
        "A batch method serves many callers at once. Blocking inside it holds a thread-pool thread for the whole wait, delays every " +
        "caller in the batch and can starve the thread pool under load.");

    public static readonly DiagnosticDescriptor BlockingWaitOnWrapper = Create(
        BlockingWaitOnWrapperId,
        "Synchronous wait on a batched call",
        "'{0}' blocks a thread until '{1}' completes, which takes up to the whole batching window; await it instead",
        PerformanceCategory,
        DiagnosticSeverity.Warning,
        "A batched call completes when its batch does, up to MaxWait later. Waiting for it synchronously holds a thread for that time " +
        "and, with many such waits, starves the thread pool that must run the batch.");

    public static readonly DiagnosticDescriptor AwaitInLoop = Create(
        AwaitInLoopId,
        "Batched call awaited one item at a time in a loop",
        "Each iteration awaits '{0}' alone, so every item waits for its own batch; submit all items at once with '{1}'",
        PerformanceCategory,
        DiagnosticSeverity.Warning,
        "Awaiting a batched call inside a loop makes each item a batch of one that waits the full MaxWait: 1,000 items take " +
        "1,000 × MaxWait. Submitting them together batches them in a few calls.");

    public static readonly DiagnosticDescriptor ShortLivedBatcherOwner = Create(
        ShortLivedBatcherOwnerId,
        "Type with batch methods registered as transient or scoped",
        "'{0}' has instance [MicroBatched] methods but is registered as {1}: every resolution gets its own batcher, so nothing is batched; register it as a singleton",
        PerformanceCategory,
        DiagnosticSeverity.Warning,
        "A generated batcher belongs to its object. A transient or scoped service, or a typed HTTP client, is a new object for every " +
        "resolution or scope, so each gets a batcher of its own and its calls are never batched together. Register the type as a " +
        "singleton, or make its batch methods static.");

    public static readonly DiagnosticDescriptor DagCycle = Create(
        DagCycleId,
        "Batch-DAG nodes form a cycle",
        "The nodes of '{0}' depend on each other in a cycle: {1}",
        DagCategory,
        DiagnosticSeverity.Error,
        "A node's parameter named like another node consumes that node's output, so the nodes must form a directed acyclic graph. " +
        "No executor is generated for a graph with a cycle.");

    public static readonly DiagnosticDescriptor DagEdgeType = Create(
        DagEdgeTypeId,
        "Batch-DAG edge or input has the wrong type",
        "{0}",
        DagCategory,
        DiagnosticSeverity.Error,
        "A parameter that consumes a node's output must take that node's result type (or a base type or interface of it), and a graph " +
        "input used by several nodes must have one type. No executor is generated for such a graph.");

    public static readonly DiagnosticDescriptor InvalidDag = Create(
        InvalidDagId,
        "Batch-DAG declaration is invalid",
        "{0}",
        DagCategory,
        DiagnosticSeverity.Error,
        "A [BatchDag] class must be partial and have at least one node with Output = true; each [DagNode] method must be list-to-list " +
        "(list parameters, one result per item) or single-item (plain parameters and result), and node names must differ in more than case.");

    public static readonly DiagnosticDescriptor UnusedDagNode = Create(
        UnusedDagNodeId,
        "Batch-DAG node is never executed",
        "Node '{0}' is not executed: no output of the graph depends on it",
        DagCategory,
        DiagnosticSeverity.Warning,
        "The executor runs only the nodes the outputs depend on. A node nothing depends on is dead code, or an output that is missing Output = true.");

    private static DiagnosticDescriptor Create(
        string id, string title, string message, string category, DiagnosticSeverity severity, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description, HelpLinkBase + id + ".md");
}
