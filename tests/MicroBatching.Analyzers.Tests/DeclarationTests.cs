using MicroBatching.Analyzers.Declarations;

namespace MicroBatching.Analyzers.Tests;

public sealed class DeclarationTests
{
    private static Task Verify(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        AnalyzerVerifier<MicroBatchedDeclarationAnalyzer>.VerifyAsync(source, expected);

    private static Task VerifyPartial(string source) => AnalyzerVerifier<NonPartialTypeAnalyzer>.VerifyAsync(source);

    [Theory]
    [InlineData("Task<IReadOnlyList<T>> {|MBAT001:GetBatchAsync|}<T>(IReadOnlyList<T> ids) => null!;")]
    [InlineData("Task<IReadOnlyList<int>> {|MBAT001:GetBatchAsync|}(ref IReadOnlyList<int> ids) => null!;")]
    [InlineData("IReadOnlyList<int> {|MBAT001:GetBatch|}(in IReadOnlyList<int> ids) => null!;")]
    [InlineData("Task<IReadOnlyList<int>> {|MBAT001:GetBatchAsync|}(IReadOnlyList<int> ids, int limit) => null!;")]
    [InlineData("Task<IReadOnlyList<int>> {|MBAT001:GetBatchAsync|}(IReadOnlyList<int> ids, CancellationToken ct, int limit) => null!;")]
    [InlineData("Task<IReadOnlyList<int>> {|MBAT001:GetBatchAsync|}() => null!;")]
    [InlineData("Task<int> {|MBAT001:GetBatchAsync|}(int id) => null!;")]
    [InlineData("Task<IReadOnlyList<int>> {|MBAT001:GetBatchAsync|}(HashSet<int> ids) => null!;")]
    [InlineData("Task {|MBAT001:SaveBatchAsync|}(IReadOnlyList<int> ids) => null!;")]
    [InlineData("void {|MBAT001:SaveBatch|}(IReadOnlyList<int> ids) { }")]
    [InlineData("Task<IEnumerable<int>> {|MBAT001:GetBatchAsync|}(IReadOnlyList<int> ids) => null!;")]
    [InlineData("Task<IReadOnlyDictionary<string, int>> {|MBAT001:GetBatchAsync|}(IReadOnlyList<int> ids) => null!;")]
    public Task MBAT001_ReportsUnsupportedSignaturesOnTheMethodName(string method) => Verify($$"""
        public partial class Model
        {
            [MicroBatched]
            {{method}}
        }
        """);

    [Theory]
    [InlineData("int*[] {|#0:PinBatch|}(IReadOnlyList<int> ids) => null!;", "takes or returns the pointer type 'int*'")]
    [InlineData("delegate*<int, int>[] {|#0:FnBatch|}(IReadOnlyList<int> ids) => null!;", "takes or returns the pointer type 'delegate*<int, int>'")]
    [InlineData("int[] {|#0:PinBatch|}(int*[] ids) => null!;", "takes or returns the pointer type 'int*'")]
    public Task MBAT001_ReportsPointerItemsAndResults(string method, string reason) => Verify($$"""
        public unsafe partial class Model
        {
            [MicroBatched]
            {{method}}
        }
        """,
        AnalyzerVerifier<MicroBatchedDeclarationAnalyzer>.Diagnostic("MBAT001").WithLocation(0).WithArguments(
            method.Contains("Fn", StringComparison.Ordinal) ? "FnBatch" : "PinBatch",
            reason + "; a pointer cannot be a type argument of the batcher, so wrap it in a struct"));

    [Theory]
    [InlineData("file partial class Model { [MicroBatched] Task<IReadOnlyList<int>> {|#0:GetBatchAsync|}(IReadOnlyList<int> ids) => null!; }", "Model")]
    [InlineData("file partial class Outer { public partial class Model { [MicroBatched] Task<IReadOnlyList<int>> {|#0:GetBatchAsync|}(IReadOnlyList<int> ids) => null!; } }", "Outer")]
    public Task MBAT001_ReportsMethodsOfFileLocalTypes(string source, string fileLocalType) => Verify(source,
        AnalyzerVerifier<MicroBatchedDeclarationAnalyzer>.Diagnostic("MBAT001").WithLocation(0).WithArguments("GetBatchAsync",
            $"is declared in the file-local type '{fileLocalType}', which generated code in another file cannot add to; remove 'file' or move the method"));

    [Fact]
    public Task MBAT001_ReportsInstanceMethodsOfStructs() => Verify("""
        public partial struct Model
        {
            [MicroBatched]
            Task<IReadOnlyList<int>> {|MBAT001:GetBatchAsync|}(IReadOnlyList<int> ids) => null!;
        }
        """);

    [Fact]
    public Task MBAT001_MessageSaysWhatIsWrong() => AnalyzerVerifier<MicroBatchedDeclarationAnalyzer>.VerifyAsync("""
        public partial class Model
        {
            [MicroBatched]
            Task<IReadOnlyList<int>> {|#0:GetBatchAsync|}(IReadOnlyList<int> ids, int limit) => null!;
        }
        """,
        AnalyzerVerifier<MicroBatchedDeclarationAnalyzer>.Diagnostic("MBAT001").WithLocation(0)
            .WithArguments("GetBatchAsync", "has the extra parameter 'limit'; a batch method takes only its list of items and, optionally, a CancellationToken"));

    [Theory]
    [InlineData("Task<IReadOnlyList<float>> InferBatchAsync(IReadOnlyList<string> texts, CancellationToken ct) => null!;")]
    [InlineData("ValueTask<IReadOnlyList<float>> InferBatchAsync(IReadOnlyList<string> texts) => default;")]
    [InlineData("float[] InferBatch(string[] texts) => null!;")]
    [InlineData("Task<List<float>> InferBatchAsync(List<string> texts) => null!;")]
    [InlineData("IList<float> InferBatch(IList<string> texts) => null!;")]
    [InlineData("Task<float[]> InferBatchAsync(IEnumerable<string> texts) => null!;")]
    [InlineData("Task<IReadOnlyDictionary<string, float>> InferBatchAsync(IReadOnlyList<string> texts) => null!;")]
    [InlineData("static Dictionary<string, float> InferBatch(IReadOnlyList<string> texts) => null!;")]
    public Task MBAT001_AcceptedShapesAreSilent(string method) => Verify($$"""
        public partial class Model
        {
            [MicroBatched]
            {{method}}
        }
        """);

    [Fact]
    public Task MBAT001_MethodsWithoutTheAttributeAreSilent() => Verify("""
        public class Model
        {
            Task<int> GetAsync<T>(ref int id, int extra) => null!;
        }
        """);

    [Fact]
    public Task MBAT002_ReportsTheNonPartialTypeOnce() => VerifyPartial("""
        public class {|MBAT002:Model|}
        {
            [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!;
            [MicroBatched] Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<int> ids) => null!;
        }
        """);

    [Fact]
    public Task MBAT002_ReportsEveryNonPartialEnclosingType() => VerifyPartial("""
        public class {|MBAT002:Outer|}
        {
            public partial class Middle
            {
                internal sealed record {|MBAT002:Inner|}
                {
                    [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!;
                }
            }
        }
        """);

    [Fact]
    public Task MBAT002_PartialTypesAndTypesWithoutBatchMethodsAreSilent() => VerifyPartial("""
        public partial class Outer
        {
            public partial struct Inner
            {
                [MicroBatched] static Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!;
            }

            public class Plain
            {
                public Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!;
            }
        }
        """);

    [Fact]
    public Task MBAT003_ReportsEachOutOfRangeSettingOnItsArgument() => Verify("""
        public partial class Model
        {
            [MicroBatched({|MBAT003:MaxSize = 0|}, {|MBAT003:MaxWaitMs = -1|}, {|MBAT003:MaxConcurrency = 0|})]
            Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!;

            [MicroBatched({|MBAT003:MaxSize = 2000000|})]
            Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<int> ids) => null!;
        }
        """);

    [Fact]
    public Task MBAT003_ReportsAQueueCapacityBelowZeroAndUndefinedModes() => Verify("""
        public partial class Model
        {
            [MicroBatched({|MBAT003:QueueCapacity = -1|}, {|MBAT003:DispatchMode = (BatchDispatchMode)5|}, {|MBAT003:QueueFullMode = (QueueFullMode)9|})]
            Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!;

            [MicroBatched(QueueCapacity = 0, DispatchMode = BatchDispatchMode.Adaptive, QueueFullMode = QueueFullMode.Reject)]
            Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<int> ids) => null!;
        }
        """);

    [Fact]
    public Task MBAT003_BoundaryValuesAreSilent() => Verify("""
        public partial class Model
        {
            [MicroBatched(MaxSize = 1, MaxWaitMs = 0, MaxConcurrency = 1)]
            Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!;

            [MicroBatched(MaxSize = 1048576, MaxWaitMs = int.MaxValue, MaxConcurrency = 64)]
            Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<int> ids) => null!;
        }
        """);

    [Fact]
    public Task MBAT003_ReportsACostBoundWithoutACostMethodAndANegativeOne() => Verify("""
        public partial class Model
        {
            [MicroBatched({|#0:MaxCost = 4096|})]
            Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<string> texts) => null!;

            [MicroBatched({|MBAT003:MaxCost = -1|}, CostMethod = nameof(Count))]
            Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<string> texts) => null!;

            int Count(string text) => text.Length;
        }
        """,
        AnalyzerVerifier<MicroBatchedDeclarationAnalyzer>.Diagnostic("MBAT003").WithLocation(0).WithArguments("MaxCost", 4096,
            "a cost bound needs CostMethod, the method that measures an item, such as CostMethod = nameof(CountTokens)"));

    [Theory]
    [InlineData("\"Missing\"", "int Count(string text) => 1;", "Model has no method named Missing")]
    [InlineData("\"Count\"", "long Count(string text) => 1;", "the cost method must be int Count(string)")]
    [InlineData("nameof(Count)", "int Count(int number) => 1;", "the cost method must be int Count(string)")]
    [InlineData("nameof(Count)", "int Count(ref string text) => 1;", "the cost method must be int Count(string)")]
    [InlineData("nameof(Count)", "int Count<T>(T item) => 1;", "the cost method must be int Count(string)")]
    [InlineData("nameof(Count)", "int Count(string text, int extra) => 1;", "the cost method must be int Count(string)")]
    [InlineData("nameof(Count)", "int Count => 1;", "the cost method must be int Count(string)")]
    [InlineData("nameof(Count)", "int Count(IComparable a) => 1; int Count(IEnumerable<char> b) => 2;", "more than one Count takes the item")]
    public Task MBAT003_ReportsACostMethodThatCannotMeasureTheItems(string costMethod, string member, string rule) => Verify($$"""
        public partial class Model
        {
            [MicroBatched(MaxCost = 100, {|#0:CostMethod = {{costMethod}}|})]
            Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<string> texts) => null!;

            {{member}}
        }
        """,
        new Microsoft.CodeAnalysis.Testing.DiagnosticResult(DiagnosticDescriptors.InvalidSetting).WithLocation(0)
            .WithMessageFormat("{0} = {1} cannot be used: {2}").WithArguments("CostMethod", costMethod.StartsWith("nameof", StringComparison.Ordinal) ? $"\"{costMethod[7..^1]}\"" : costMethod, rule + RuleTail(rule)));

    private static string RuleTail(string rule) => rule switch
    {
        _ when rule.StartsWith("the cost method", StringComparison.Ordinal) => ": not generic, taking the item by value and returning int",
        _ when rule.StartsWith("more than one", StringComparison.Ordinal) => "; keep one, or one that takes string itself",
        _ => "",
    };

    [Fact]
    public Task MBAT003_ReportsAnInstanceCostMethodOfAStaticBatchMethod() => Verify("""
        public partial class Model
        {
            [MicroBatched(MaxCost = 100, {|MBAT003:CostMethod = nameof(Count)|})]
            static Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<string> texts) => null!;

            int Count(string text) => text.Length;
        }
        """);

    [Fact]
    public Task MBAT003_UsableCostMethodsAreSilent() => Verify("""
        public class Base
        {
            protected static int Inherited(string text) => text.Length;
        }

        public partial class Model : Base
        {
            [MicroBatched(MaxCost = 100, CostMethod = nameof(Count))]
            Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<string> texts) => null!;

            [MicroBatched(MaxCost = 100, CostMethod = nameof(Count))]
            static Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<string> texts) => null!;

            [MicroBatched(MaxCost = 100, CostMethod = nameof(Measure))]
            Task<IReadOnlyList<int>> ScoreBatchAsync(IReadOnlyList<string> texts) => null!;

            [MicroBatched(MaxCost = 1, CostMethod = nameof(Inherited))]
            Task<IReadOnlyList<int>> RankBatchAsync(IReadOnlyList<string> texts) => null!;

            [MicroBatched(CostMethod = nameof(Count))]   // the bound may come from configuration
            Task<IReadOnlyList<int>> TagBatchAsync(IReadOnlyList<string> texts) => null!;

            [MicroBatched(MaxCost = 100, CostMethod = nameof(Count))]
            Task<IReadOnlyDictionary<string, int>> LookUpBatchAsync(IReadOnlyList<string> keys) => null!;

            static int Count(string text) => text.Length;
            static int Count(int number) => number;
            int Measure(object item) => 1;
            int Measure(IEnumerable<char> chars) => 2;
            int Measure(string text) => 3;
        }
        """);

    [Fact]
    public Task MBAT004_ReportsAMethodNameWithoutBatch() => Verify("""
        public partial class Model
        {
            [MicroBatched] Task<IReadOnlyList<int>> {|MBAT004:GetAllAsync|}(IReadOnlyList<int> ids) => null!;
            [MicroBatched] Task<IReadOnlyList<int>> {|MBAT004:ScoreBatchedAsync|}(IReadOnlyList<int> ids) => null!;
        }
        """);

    [Theory]
    [InlineData("not valid")]
    [InlineData("class")]
    [InlineData("")]
    public Task MBAT004_ReportsAnInvalidName(string name) => Verify($$"""
        public partial class Model
        {
            [MicroBatched(Name = "{{name}}")] Task<IReadOnlyList<int>> {|MBAT004:GetBatchAsync|}(IReadOnlyList<int> ids) => null!;
        }
        """);

    // A hand-written method that overload resolution picks (or cannot tell apart) for 'ScoreAsync(text)' would receive the
    // calls meant for the generated wrapper: every caller bound to it, nothing batched.
    [Theory]
    [InlineData("public Task<float> ScoreAsync(string text) => Task.FromResult(42f);")]
    [InlineData("public Task<int> ScoreAsync(string text) => Task.FromResult(42);")]
    [InlineData("public Task<float> ScoreAsync(string text, int retries = 3) => Task.FromResult(42f);")]
    [InlineData("public float ScoreAsync(string text, params int[] extras) => 42f;")]
    [InlineData("public Task<IReadOnlyList<float>> ScoreManyAsync(IEnumerable<string> texts) => null!;")]
    public Task MBAT004_ReportsAHandWrittenMethodThatWouldCaptureTheWrappersCalls(string member) => Verify($$"""
        public partial class Model
        {
            [MicroBatched] Task<IReadOnlyList<float>> {|MBAT004:ScoreBatchAsync|}(IReadOnlyList<string> texts) => null!;
            {{member}}
        }
        """);

    [Theory]
    [InlineData("public Task<float> ScoreAsync(object text) => Task.FromResult(42f);")]
    [InlineData("public Task<float> ScoreAsync(string text, int retries) => Task.FromResult(42f);")]
    [InlineData("public Task<float> ScoreAsync(int id) => Task.FromResult(42f);")]
    [InlineData("public Task<float> ScoreAsync(string text, string language, CancellationToken cancellationToken = default) => Task.FromResult(42f);")]
    [InlineData("public Task<IReadOnlyList<float>> ScoreManyAsync(IEnumerable<string> texts, int chunk) => null!;")]
    public Task MBAT004_OverloadsTheWrapperWinsAreSilent(string member) => Verify($$"""
        public partial class Model
        {
            [MicroBatched] Task<IReadOnlyList<float>> ScoreBatchAsync(IReadOnlyList<string> texts) => null!;
            {{member}}
        }
        """);

    [Fact]
    public Task MBAT004_ACapturingMethodIsNamedInTheMessage() => Verify("""
        public partial class Model
        {
            [MicroBatched] Task<IReadOnlyList<float>> {|#0:ScoreBatchAsync|}(IReadOnlyList<string> texts) => null!;
            public Task<float> ScoreAsync(string text) => Task.FromResult(42f);
        }
        """,
        AnalyzerVerifier<MicroBatchedDeclarationAnalyzer>.Diagnostic("MBAT004").WithLocation(0).WithArguments("ScoreBatchAsync",
            "the existing method 'Model.ScoreAsync(string)' would receive the calls meant for the generated 'ScoreAsync': overload resolution prefers it (or cannot choose) for a call with just the item; rename it, or set Name on the attribute"));

    [Fact]
    public Task MBAT004_ReportsClashesWithExistingAndInheritedMembers() => Verify("""
        public class Base
        {
            public Task<int> FindAsync(int id, CancellationToken cancellationToken) => null!;
        }

        public partial class Model : Base
        {
            [MicroBatched] Task<IReadOnlyList<int>> {|MBAT004:GetBatchAsync|}(IReadOnlyList<int> ids) => null!;
            public Task<int> GetAsync(int id, CancellationToken ct) => null!;

            [MicroBatched] Task<IReadOnlyList<int>> {|MBAT004:LoadBatchAsync|}(IReadOnlyList<int> ids) => null!;
            public object? LoadBatcher { get; set; }

            [MicroBatched] Task<IReadOnlyList<int>> {|MBAT004:FindBatchAsync|}(IReadOnlyList<int> ids) => null!;

            [MicroBatched] Task<IReadOnlyList<int>> {|MBAT004:ReadBatchAsync|}(IReadOnlyList<int> ids) => null!;
            public int ReadManyAsync;
        }
        """);

    [Fact]
    public Task MBAT004_ReportsBothBatchMethodsThatWouldGenerateTheSameMembers() => Verify("""
        public partial class Model
        {
            [MicroBatched] Task<IReadOnlyList<int>> {|MBAT004:ScoreBatchAsync|}(IReadOnlyList<int> ids) => null!;
            [MicroBatched] Task<IReadOnlyList<int>> {|MBAT004:ScoreBatchAsync|}(IReadOnlyList<string> texts) => null!;
        }
        """);

    [Fact]
    public Task MBAT004_OverloadsAndPrivateBaseMembersAreSilent() => Verify("""
        public class Base
        {
            private Task<int> GetAsync(int id, CancellationToken cancellationToken) => null!;
        }

        public partial class Model : Base
        {
            [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!;
            public Task<int> GetAsync(string key) => null!;
            public Task<int> GetAsync(int id, int limit) => null!;

            [MicroBatched(Name = "ScoreTextAsync")] Task<IReadOnlyList<int>> ScoreBatchAsync(IReadOnlyList<string> texts) => null!;
            [MicroBatched(Name = "ScoreNumberAsync")] Task<IReadOnlyList<int>> ScoreBatchAsync(IReadOnlyList<int> numbers) => null!;
        }
        """);

    [Fact]
    public Task InvalidSignatureIsReportedOnceAndNotAlsoAsANameProblem() => Verify("""
        public partial class Model
        {
            [MicroBatched] Task<IReadOnlyList<int>> {|MBAT001:GetAllAsync|}(int id) => null!;
        }
        """);
}
