using MicroBatching.Analyzers.Dag;

namespace MicroBatching.Analyzers.Tests;

public sealed class BatchDagAnalyzerTests
{
    private static Task Verify(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        AnalyzerVerifier<BatchDagAnalyzer>.VerifyAsync(source, expected);

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Diagnostic(string id) => AnalyzerVerifier<BatchDagAnalyzer>.Diagnostic(id);

    [Fact]
    public Task AValidGraphIsSilent() => Verify("""
        public sealed record Verdict(bool Spam);

        [BatchDag(MaxParallelism = 10)]
        public sealed partial class ReviewPipeline
        {
            [DagNode(MaxSize = 64)]
            private Task<IReadOnlyList<string>> Clean(IReadOnlyList<string> review, CancellationToken ct) => Task.FromResult(review);

            [DagNode]
            private Task<float[]> Embed(string clean, CancellationToken ct) => Task.FromResult(new float[] { clean.Length });

            [DagNode]
            private IReadOnlyList<bool> IsSpam(IReadOnlyList<float[]> embed) => embed.Select(e => e[0] > 1).ToArray();

            [DagNode(Output = true)]
            private IReadOnlyList<Verdict> Decide(IReadOnlyList<float[]> embed, IReadOnlyList<bool> isSpam) => isSpam.Select(s => new Verdict(s)).ToArray();
        }
        """);

    [Fact]
    public Task MBAT301_ACycleIsReportedWithItsPath() => Verify("""
        [BatchDag]
        public sealed partial class Loop
        {
            [DagNode(Output = true)]
            private IReadOnlyList<int> {|#0:A|}(IReadOnlyList<int> c) => c;

            [DagNode]
            private IReadOnlyList<int> B(IReadOnlyList<int> a) => a;

            [DagNode]
            private IReadOnlyList<int> C(IReadOnlyList<int> b) => b;
        }
        """,
        Diagnostic("MBAT301").WithLocation(0).WithArguments("Loop", "A → C → B → A"));

    [Fact]
    public Task MBAT301_ANodeConsumingItselfIsACycle() => Verify("""
        [BatchDag]
        public sealed partial class Self
        {
            [DagNode(Output = true)]
            private IReadOnlyList<int> {|#0:Echo|}(IReadOnlyList<int> echo) => echo;
        }
        """,
        Diagnostic("MBAT301").WithLocation(0).WithArguments("Self", "Echo → Echo"));

    [Fact]
    public Task MBAT302_AnEdgeOfTheWrongTypeIsReportedOnTheConsumer() => Verify("""
        [BatchDag]
        public sealed partial class Scores
        {
            [DagNode]
            private IReadOnlyList<string> Embed(IReadOnlyList<string> text) => text;

            [DagNode(Output = true)]
            private IReadOnlyList<float> {|#0:Score|}(IReadOnlyList<float[]> embed) => embed.Select(e => e[0]).ToArray();
        }
        """,
        Diagnostic("MBAT302").WithLocation(0).WithArguments("Parameter 'embed' of node 'Score' takes 'float[]', but node 'Embed' produces 'string'"));

    [Fact]
    public Task MBAT302_AnInputTakenWithTwoTypes() => Verify("""
        [BatchDag]
        public sealed partial class Inputs
        {
            [DagNode]
            private IReadOnlyList<int> A(IReadOnlyList<int> id) => id;

            [DagNode(Output = true)]
            private IReadOnlyList<int> {|#0:B|}(IReadOnlyList<int> a, IReadOnlyList<string> id) => a;
        }
        """,
        Diagnostic("MBAT302").WithLocation(0).WithArguments("The graph input 'id' is taken as 'int' and, by node 'B', as 'string'"));

    [Fact]
    public Task MBAT302_ABaseTypeOrInterfaceIsAcceptedOnAnEdge() => Verify("""
        [BatchDag]
        public sealed partial class Widening
        {
            [DagNode]
            private IReadOnlyList<string> A(IReadOnlyList<int> id) => id.Select(i => i.ToString()).ToArray();

            [DagNode]
            private IReadOnlyList<int> B(IReadOnlyList<object> a) => a.Select(x => 1).ToArray();

            [DagNode(Output = true)]
            private IReadOnlyList<int> C(IReadOnlyList<IComparable<string>> a, IReadOnlyList<int> b) => b;
        }
        """);

    [Fact]
    public Task MBAT303_NoOutput() => Verify("""
        [BatchDag]
        public sealed partial class {|#0:Nothing|}
        {
            [DagNode]
            private IReadOnlyList<int> A(IReadOnlyList<int> x) => x;
        }
        """,
        Diagnostic("MBAT303").WithLocation(0).WithArguments("'Nothing' has no output: mark the node whose results the graph returns with [DagNode(Output = true)]"));

    [Theory]
    [InlineData("int {|#0:A|}(IReadOnlyList<int> x) => 0;")]
    [InlineData("Task {|#0:A|}(IReadOnlyList<int> x) => Task.CompletedTask;")]
    [InlineData("void {|#0:A|}(int x) { }")]
    [InlineData("IReadOnlyDictionary<int, int> {|#0:A|}(IReadOnlyList<int> x) => null!;")]
    [InlineData("IReadOnlyList<int> {|#0:A|}(ref IReadOnlyList<int> x) => x;")]
    [InlineData("IReadOnlyList<T> {|#0:A|}<T>(IReadOnlyList<T> x) => x;")]
    [InlineData("IReadOnlyList<int> {|#0:A|}(CancellationToken ct) => null!;")]
    public Task MBAT303_ANodeThatIsNeitherListToListNorSingleItem(string node) => Verify($$"""
        [BatchDag]
        public sealed partial class G
        {
            [DagNode(Output = true)]
            private {{node}}
        }
        """,
        Diagnostic("MBAT303").WithLocation(0).WithArguments("Node 'A' is neither list-to-list (list parameters, one result per item) nor single-item (plain parameters and a result)"));

    [Fact]
    public Task MBAT303_ATypeThatIsNotPartial() => Verify("""
        [BatchDag]
        public sealed class {|#0:Plain|}
        {
            [DagNode(Output = true)]
            private IReadOnlyList<int> A(IReadOnlyList<int> x) => x;
        }
        """,
        Diagnostic("MBAT303").WithLocation(0).WithArguments("'Plain' must be declared partial, with every type enclosing it, so that its executor can be generated into it"));

    [Fact]
    public Task MBAT304_ANodeNoOutputDependsOn() => Verify("""
        [BatchDag]
        public sealed partial class Reviews
        {
            [DagNode(Output = true)]
            private IReadOnlyList<string> Clean(IReadOnlyList<string> review) => review;

            [DagNode]
            private IReadOnlyList<int> {|#0:Length|}(IReadOnlyList<string> clean) => clean.Select(c => c.Length).ToArray();
        }
        """,
        Diagnostic("MBAT304").WithLocation(0).WithArguments("Length"));

    [Fact]
    public Task MBAT003_ANodeSettingOutOfRange() => Verify("""
        [BatchDag]
        public sealed partial class G
        {
            [DagNode(Output = true, MaxSize = 0)]
            private IReadOnlyList<int> {|#0:A|}(IReadOnlyList<int> x) => x;
        }
        """,
        Diagnostic("MBAT003").WithLocation(0).WithArguments("MaxSize", "0", "a node call takes between 1 and 1048576 items"));

    [Fact]
    public Task AClassWithoutTheAttributeIsIgnored() => Verify("""
        public sealed class NotAGraph
        {
            [DagNode]
            private int A(IReadOnlyList<int> x) => 0;
        }
        """);
}
