using MicroBatching.Analyzers.Dag;
using MicroBatching.Analyzers.Declarations;

namespace MicroBatching.Analyzers.Tests;

/// <summary>
/// Declarations as real code writes them, valid in unusual ways: the declaration and graph rules (MBAT001 to MBAT004,
/// MBAT301 and on) must stay silent on every one.
/// </summary>
public sealed class DeclarationLookAlikeTests
{
    public static TheoryData<string> BatchMethods =>
    [
        "public partial class C { [MicroBatched] public Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken) => null!; }",
        "public partial class C { [MicroBatched(MaxSize = 1, MaxWaitMs = 0, MaxConcurrency = 1)] internal ValueTask<int[]> ScoreBatchAsync(int[] ids) => default; }",
        "public static partial class C { [MicroBatched] private static List<string> NameBatch(List<int> ids) => new(); }",
        "public partial class C { [MicroBatched] protected virtual IList<int> RankBatch(IEnumerable<int> ids) => new List<int>(); }",
        "public partial class Outer { public partial class Inner<T> where T : notnull { [MicroBatched] private Task<IReadOnlyDictionary<T, int>> LookupBatchAsync(IReadOnlyList<T> keys) => null!; } }",
        "public partial record R(int X) { [MicroBatched(Name = \"ScoreItemAsync\")] private Task<Dictionary<string, int>> ScoreBatchAsync(IList<string> keys) => null!; }",
        "public partial struct S { [MicroBatched] public static IReadOnlyList<long> SumBatch(IReadOnlyList<(int A, int B)> pairs) => null!; }",
        "namespace A.B { public sealed partial class C { [MicroBatched(MaxCost = 64, CostMethod = nameof(Cost))] private Task<IReadOnlyList<int>> EmbedBatchAsync(IReadOnlyList<string> texts) => null!; private static int Cost(string text) => text.Length; } }",
        "public partial class C { [MicroBatched(DispatchMode = BatchDispatchMode.Adaptive, QueueCapacity = 100, QueueFullMode = QueueFullMode.Reject)] private Task<BatchItemResult<int>[]> ParseBatchAsync(IReadOnlyList<string> texts) => null!; }",
        "public partial class C { [MicroBatched(Name = \"GetByIdAsync\")] private Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; [MicroBatched(Name = \"GetByNameAsync\")] private Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<string> names) => null!; }",
        "public partial class C { [MicroBatched] private Task<IReadOnlyList<int?>> FindBatchAsync(IReadOnlyList<string?> names) => null!; public Task<int> FindAsync(string name, int retries) => null!; }",
        "public partial class C<TItem, TResult> { [MicroBatched] private Task<IReadOnlyList<TResult>> MapBatchAsync(IReadOnlyList<TItem> items) => null!; }",
    ];

    public static TheoryData<string> Graphs =>
    [
        "[BatchDag] public partial class G { [DagNode(Output = true)] private IReadOnlyList<int> Only(IReadOnlyList<string> text) => null!; }",
        "[BatchDag] public static partial class G { [DagNode] private static int[] A(int[] x) => x; [DagNode(Output = true)] private static int[] B(int[] a) => a; }",
        "[BatchDag(MaxParallelism = 1, StreamWindow = 1)] public partial class G { [DagNode] private Task<IReadOnlyList<int>> A(IReadOnlyList<int> x, CancellationToken ct) => null!; [DagNode(Output = true)] private ValueTask<IReadOnlyList<int>> B(IReadOnlyList<int> a, CancellationToken ct) => default; }",
        "[BatchDag] public partial class G { [DagNode] private IReadOnlyList<int> A(IReadOnlyList<int> x) => x; [DagNode] private IReadOnlyList<int> B(IReadOnlyList<int> a) => a; [DagNode] private IReadOnlyList<int> C(IReadOnlyList<int> a) => a; [DagNode(Output = true)] private IReadOnlyList<int> D(IReadOnlyList<int> b, IReadOnlyList<int> c) => b; }",
        "[BatchDag] public partial class G { [DagNode] private IReadOnlyList<int> A(IReadOnlyList<int> x, IReadOnlyList<string> y) => x; [DagNode(Output = true)] private IReadOnlyList<string> B(IReadOnlyList<int> a, IReadOnlyList<string> y) => y; }",
        "[BatchDag] public partial class G { [DagNode(Output = true)] private IReadOnlyList<int> A(IReadOnlyList<int> x) => x; [DagNode(Output = true)] private IReadOnlyList<int> B(IReadOnlyList<int> a) => a; }",
        "[BatchDag] public partial class G { [DagNode] private int A(int x) => x; [DagNode(Output = true)] private IReadOnlyList<int> B(IReadOnlyList<int> a) => a; }",
        "[BatchDag] public partial class G { [DagNode(MaxSize = 1, MaxWaitMs = 0, MaxConcurrency = 1)] private List<int> A(List<int> x) => x; [DagNode(Output = true)] private int[] B(IEnumerable<int> a) => a.ToArray(); }",
        "namespace N { public partial class Outer { [BatchDag] public partial class G { [DagNode(Output = true)] private IReadOnlyList<int> A(IReadOnlyList<int> x) => x; } } }",
        "[BatchDag] public partial class G { [DagNode] private IReadOnlyList<int> A(IReadOnlyList<int> x) => x; [DagNode(Output = true)] private IReadOnlyList<int> B(IReadOnlyList<int> a, IReadOnlyList<int> x) => a; [DagNode(Output = true)] private IReadOnlyList<string> C(IReadOnlyList<int> b) => null!; }",
    ];

    [Theory]
    [MemberData(nameof(BatchMethods))]
    public async Task NoDeclarationRuleReportsAValidBatchMethod(string source)
    {
        await AnalyzerVerifier<MicroBatchedDeclarationAnalyzer>.VerifyAsync(source);
        await AnalyzerVerifier<NonPartialTypeAnalyzer>.VerifyAsync(source);
    }

    [Theory]
    [MemberData(nameof(Graphs))]
    public Task NoGraphRuleReportsAValidGraph(string source) => AnalyzerVerifier<BatchDagAnalyzer>.VerifyAsync(source);
}
