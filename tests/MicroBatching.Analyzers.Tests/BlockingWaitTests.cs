using MicroBatching.Analyzers.Blocking;

namespace MicroBatching.Analyzers.Tests;

public sealed class BlockingWaitTests
{
    private const string Model = """
        public partial class Sentiment
        {
            [MicroBatched]
            private Task<IReadOnlyList<float>> InferBatchAsync(IReadOnlyList<string> texts, CancellationToken ct) =>
                Task.FromResult<IReadOnlyList<float>>(new float[texts.Count]);

            [MicroBatched]
            private ValueTask<IReadOnlyList<float>> RankBatchAsync(IReadOnlyList<string> texts) => new(new float[texts.Count]);
        }

        """;

    private static Task Verify(string source) => AnalyzerVerifier<BlockingWaitAnalyzer>.VerifyAsync(Model + source);

    private static Task VerifyInBatchMethod(string body) => Verify($$"""
        public partial class Worker
        {
            private readonly Func<string, Task<int>> _lookup = s => Task.FromResult(s.Length);

            [MicroBatched]
            private async Task<IReadOnlyList<int>> WorkBatchAsync(IReadOnlyList<string> items)
            {
                await Task.Yield();
                {{body}}
                return items.Select(i => i.Length).ToList();
            }
        }
        """);

    [Theory]
    [InlineData("Task<int> t = _lookup(items[0]); var n = {|MBAT102:t.Result|};")]
    [InlineData("{|MBAT102:_lookup(items[0]).Wait()|};")]
    [InlineData("var n = {|MBAT102:_lookup(items[0]).GetAwaiter().GetResult()|};")]
    [InlineData("var n = {|MBAT102:_lookup(items[0]).ConfigureAwait(false).GetAwaiter().GetResult()|};")]
    [InlineData("ValueTask<int> v = new(_lookup(items[0])); var n = {|MBAT102:v.Result|};")]
    [InlineData("{|MBAT102:Task.WaitAll(_lookup(items[0]), _lookup(items[1]))|};")]
    [InlineData("var i = {|MBAT102:Task.WaitAny(_lookup(items[0]))|};")]
    [InlineData("{|MBAT102:Thread.Sleep(10)|};")]
    [InlineData("var lengths = items.Select(i => {|MBAT102:_lookup(i).Result|}).ToList();")]
    [InlineData("int Local(string s) => {|MBAT102:_lookup(s).Result|}; var n = Local(items[0]);")]
    public Task MBAT102_ReportsBlockingCallsInsideBatchMethods(string body) => VerifyInBatchMethod(body);

    [Theory]
    [InlineData("var tasks = items.Select(_lookup).ToArray(); await Task.WhenAll(tasks); var sum = tasks.Sum(t => t.Result);")]
    [InlineData("Task<int> t = _lookup(items[0]); if (t.IsCompleted) { var n = t.Result; }")]
    [InlineData("Task<int> t = _lookup(items[0]); var n = t.IsCompletedSuccessfully ? t.Result : await t;")]
    [InlineData("Task<int> t = _lookup(items[0]); await t; var n = t.Result;")]
    [InlineData("var n = Task.FromResult(1).Result;")]
    [InlineData("var next = _lookup(items[0]).ContinueWith(done => done.Result + 1);")]
    [InlineData("var a = _lookup(items[0]); var b = _lookup(items[1]); var first = await Task.WhenAny(a, b); var n = first.Result;")]
    [InlineData("var n = await _lookup(items[0]);")]
    public Task MBAT102_WaitsOnCompletedTasksAreSilent(string body) => VerifyInBatchMethod(body);

    [Fact]
    public Task MBAT102_BlockingOutsideBatchMethodsIsNotItsConcern() => Verify("""
        public class Plain
        {
            public int Get(Task<int> t)
            {
                Thread.Sleep(1);
                return t.Result;
            }
        }
        """);

    [Theory]
    [InlineData("var score = {|MBAT103:model.InferAsync(\"great\").Result|};")]
    [InlineData("{|MBAT103:model.InferAsync(\"great\").Wait()|};")]
    [InlineData("var score = {|MBAT103:model.InferAsync(\"great\").GetAwaiter().GetResult()|};")]
    [InlineData("var score = {|MBAT103:model.InferAsync(\"great\").ConfigureAwait(false).GetAwaiter().GetResult()|};")]
    [InlineData("var scores = {|MBAT103:model.InferManyAsync(new[] { \"a\", \"b\" }).Result|};")]
    [InlineData("var pending = model.InferAsync(\"great\"); DoOtherWork(); var score = {|MBAT103:pending.Result|};")]
    [InlineData("var score = {|MBAT103:model.RankAsync(\"great\").Result|};")]
    [InlineData("{|MBAT103:model.RankAsync(\"great\").AsTask().Wait()|};")]
    [InlineData("{|MBAT103:Task.WaitAll(model.InferAsync(\"a\"), model.InferAsync(\"b\"))|};")]
    [InlineData("var all = {|MBAT103:Task.WhenAll(new[] { \"a\", \"b\" }.Select(x => model.InferAsync(x))).Result|};")]
    [InlineData("{|MBAT103:Task.WhenAll(model.InferAsync(\"a\"), model.InferAsync(\"b\")).Wait()|};")]
    [InlineData("var first = {|MBAT103:Task.WhenAny(model.InferAsync(\"a\"), model.InferAsync(\"b\")).GetAwaiter().GetResult()|};")]
    [InlineData("Task<float>[] tasks = new[] { \"a\", \"b\" }.Select(x => model.InferAsync(x)).ToArray(); {|MBAT103:Task.WaitAll(tasks)|};")]
    [InlineData("var tasks = new[] { \"a\", \"b\" }.Select(x => model.InferAsync(x)).ToList(); {|MBAT103:Task.WaitAny(tasks.ToArray())|};")]
    [InlineData("var tasks = new[] { model.InferAsync(\"a\"), model.InferAsync(\"b\") }; var all = {|MBAT103:Task.WhenAll(tasks).Result|};")]
    public Task MBAT103_ReportsSynchronousWaitsOnWrapperTasks(string statement) => Verify($$"""
        public class Caller
        {
            public void Run(Sentiment model)
            {
                {{statement}}
            }

            private static void DoOtherWork() { }
        }
        """);

    [Theory]
    [InlineData("await Task.WhenAll(model.InferAsync(\"a\")); var s = {|MBAT103:model.InferAsync(\"b\").Result|};")]
    [InlineData("var a = model.InferAsync(\"a\"); await Task.WhenAll(a); var late = model.InferAsync(\"b\"); var s = {|MBAT103:late.Result|};")]
    public Task MBAT103_AnEarlierWhenAllDoesNotCompleteTasksStartedAfterIt(string statement) => Verify($$"""
        public class Caller
        {
            public async Task Run(Sentiment model)
            {
                {{statement}}
            }
        }
        """);

    [Theory]
    [InlineData("var all = await Task.WhenAll(new[] { \"a\", \"b\" }.Select(x => model.InferAsync(x)));")]
    [InlineData("var plain = Task.WhenAll(Task.FromResult(1), Task.FromResult(2)).Result;")]
    [InlineData("var lengths = Task.WhenAll(new[] { \"a\" }.Select(x => Task.FromResult(x.Length))).Result;")]
    [InlineData("var tasks = new[] { \"a\", \"b\" }.Select(x => model.InferAsync(x)).ToArray(); await Task.WhenAll(tasks); var s = tasks[0].Result;")]
    [InlineData("var score = await model.InferAsync(\"great\");")]
    [InlineData("var a = model.InferAsync(\"a\"); var b = model.InferAsync(\"b\"); await Task.WhenAll(a, b); var sum = a.Result + b.Result;")]
    [InlineData("var all = new[] { model.InferAsync(\"a\"), model.InferAsync(\"b\") }; await Task.WhenAll(all); var sum = 0f; foreach (var t in all) { sum += t.Result; }")]
    [InlineData("var pending = model.InferAsync(\"a\"); if (pending.IsCompleted) { var s = pending.Result; }")]
    [InlineData("var pending = model.InferAsync(\"a\"); pending = Task.FromResult(1f); var s = pending.Result;")]
    [InlineData("var n = other.InferAsync(\"a\").Result;")]
    public Task MBAT103_LookAlikesAreSilent(string statement) => Verify($$"""
        public class Caller
        {
            public async Task Run(Sentiment model, Impostor other)
            {
                {{statement}}
            }
        }

        // Same names as generated wrappers, but written by hand: no marker, so not a batched call.
        public class Impostor
        {
            public Task<int> InferAsync(string text) => Task.FromResult(text.Length);
        }
        """);

    [Fact]
    public Task MBAT103_TakesPrecedenceInsideABatchMethodSoEachProblemIsReportedOnce() => Verify("""
        public partial class Pipeline
        {
            private readonly Sentiment _model = new();

            [MicroBatched]
            private Task<IReadOnlyList<float>> ScoreBatchAsync(IReadOnlyList<string> texts) =>
                Task.FromResult<IReadOnlyList<float>>(texts.Select(t => {|MBAT103:_model.InferAsync(t).Result|}).ToList());
        }
        """);

    [Fact]
    public Task MBAT102_ABlockingCallInsideADagNode() => AnalyzerVerifier<BlockingWaitAnalyzer>.VerifyAsync("""
        [BatchDag]
        public sealed partial class Pipeline
        {
            [DagNode(Output = true)]
            private IReadOnlyList<int> Score(IReadOnlyList<string> text)
            {
                {|#0:Thread.Sleep(10)|};
                return text.Select(t => Task.FromResult(t.Length)).Select(t => {|#1:t.Result|}).ToArray();
            }
        }
        """,
        AnalyzerVerifier<BlockingWaitAnalyzer>.Diagnostic("MBAT102").WithLocation(0).WithArguments("Thread.Sleep", "the batch method 'Score'"),
        AnalyzerVerifier<BlockingWaitAnalyzer>.Diagnostic("MBAT102").WithLocation(1).WithArguments(".Result", "the batch method 'Score'"));

    [Fact]
    public Task MBAT102_ABlockingCallInAPrivateHelperTheBatchMethodCalls() => AnalyzerVerifier<BlockingWaitAnalyzer>.VerifyAsync("""
        public partial class Counter
        {
            [MicroBatched]
            private IReadOnlyList<int> CountBatch(IReadOnlyList<string> texts) => Helper(texts);

            [MicroBatched]
            private IReadOnlyList<int> SizeBatch(IReadOnlyList<string> texts) => this.Sizes(texts);

            private IReadOnlyList<int> Helper(IReadOnlyList<string> texts) => {|#0:LoadAsync(texts).Result|};

            private static Task<int[]> LoadAsync(IReadOnlyList<string> texts) => Task.Run(() => texts.Select(t => t.Length).ToArray());

            private int[] Sizes(IReadOnlyList<string> texts)
            {
                {|#1:Thread.Sleep(1)|};
                return texts.Select(t => t.Length).ToArray();
            }

            // Not called by a batch method, or not private: silent.
            private int[] Unused(IReadOnlyList<string> texts) => LoadAsync(texts).Result;

            public int[] Public(IReadOnlyList<string> texts) => LoadAsync(texts).Result;
        }
        """,
        AnalyzerVerifier<BlockingWaitAnalyzer>.Diagnostic("MBAT102").WithLocation(0).WithArguments(".Result", "'Helper', which the batch method 'CountBatch' calls"),
        AnalyzerVerifier<BlockingWaitAnalyzer>.Diagnostic("MBAT102").WithLocation(1).WithArguments("Thread.Sleep", "'Sizes', which the batch method 'SizeBatch' calls"));

    [Fact]
    public Task MBAT102_AHelperInAnotherFileOfThePartialType() => AnalyzerVerifier<BlockingWaitAnalyzer>.VerifyFilesAsync(
        [
            """
            public partial class Counter
            {
                [MicroBatched]
                private IReadOnlyList<int> CountBatch(IReadOnlyList<string> texts) => Helper(texts);

                [MicroBatched]
                private IReadOnlyList<int> SizeBatch(IReadOnlyList<string> texts)
                {
                    int[] Shadowed(IReadOnlyList<string> t) => [.. t.Select(x => x.Length)];
                    return Shadowed(texts);
                }

                [MicroBatched]
                private IReadOnlyList<int> RankBatch(IReadOnlyList<string> texts) => Overloaded(texts);
            }
            """,
            """
            public partial class Counter
            {
                private IReadOnlyList<int> Helper(IReadOnlyList<string> texts) => {|#0:LoadAsync(texts).Result|};

                private static Task<int[]> LoadAsync(IReadOnlyList<string> texts) => Task.Run(() => texts.Select(t => t.Length).ToArray());

                // A local function of the batch method has this name: the call is not to this method.
                private int[] Shadowed(IReadOnlyList<string> texts) => LoadAsync(texts).Result;

                // Overloads: across files the name alone cannot tell which one is called, so none is reported.
                private int[] Overloaded(IReadOnlyList<string> texts) => LoadAsync(texts).Result;

                private int[] Overloaded(string text) => LoadAsync([text]).Result;
            }
            """,
        ],
        AnalyzerVerifier<BlockingWaitAnalyzer>.Diagnostic("MBAT102").WithLocation(0).WithArguments(".Result", "'Helper', which the batch method 'CountBatch' calls"));
}
