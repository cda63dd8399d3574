using MicroBatching.Analyzers.Blocking;
using MicroBatching.Analyzers.CodeFixes;
using MicroBatching.Analyzers.Dag;
using MicroBatching.Analyzers.Declarations;
using MicroBatching.Analyzers.Loops;

namespace MicroBatching.Analyzers.Tests;

public sealed class CodeFixTests
{
    private const string Model = """
        public partial class Sentiment
        {
            [MicroBatched]
            private Task<IReadOnlyList<float>> InferBatchAsync(IReadOnlyList<string> texts, CancellationToken ct) =>
                Task.FromResult<IReadOnlyList<float>>(new float[texts.Count]);
        }

        """;

    [Fact]
    public Task MBAT002_MakesTheTypePartial() => CodeFixVerifier<NonPartialTypeAnalyzer, MakeTypePartialCodeFixProvider>.VerifyAsync("""
        public sealed class {|MBAT002:Model|}
        {
            [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => Task.FromResult(ids);
        }
        """, """
        public sealed partial class Model
        {
            [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => Task.FromResult(ids);
        }
        """);

    [Fact]
    public Task MBAT002_MakesEnclosingTypesPartialToo() => CodeFixVerifier<NonPartialTypeAnalyzer, MakeTypePartialCodeFixProvider>.VerifyAsync("""
        // The outer type.
        class {|MBAT002:Outer|}
        {
            internal record {|MBAT002:Inner|}
            {
                [MicroBatched] static Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => Task.FromResult(ids);
            }
        }
        """, """
        // The outer type.
        partial class Outer
        {
            internal partial record Inner
            {
                [MicroBatched] static Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => Task.FromResult(ids);
            }
        }
        """);

    [Fact]
    public Task MBAT004_AddsANameWhenTheMethodNameHasNoBatch() => CodeFixVerifier<MicroBatchedDeclarationAnalyzer, NameWrapperCodeFixProvider>.VerifyAsync("""
        public partial class Model
        {
            [MicroBatched(MaxSize = 8)]
            Task<IReadOnlyList<int>> {|MBAT004:LoadAllAsync|}(IReadOnlyList<int> ids) => Task.FromResult(ids);
        }
        """, """
        public partial class Model
        {
            [MicroBatched(MaxSize = 8, Name = "LoadAllItemAsync")]
            Task<IReadOnlyList<int>> LoadAllAsync(IReadOnlyList<int> ids) => Task.FromResult(ids);
        }
        """);

    [Fact]
    public Task MBAT004_PicksANameThatClashesWithNothing() => CodeFixVerifier<MicroBatchedDeclarationAnalyzer, NameWrapperCodeFixProvider>.VerifyAsync("""
        public partial class Model
        {
            [MicroBatched]
            Task<IReadOnlyList<int>> {|MBAT004:GetBatchAsync|}(IReadOnlyList<int> ids) => Task.FromResult(ids);

            public Task<int> GetAsync(int id, CancellationToken ct) => Task.FromResult(id);
        }
        """, """
        public partial class Model
        {
            [MicroBatched(Name = "GetItemAsync")]
            Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => Task.FromResult(ids);

            public Task<int> GetAsync(int id, CancellationToken ct) => Task.FromResult(id);
        }
        """);

    [Fact]
    public Task MBAT004_ReplacesAnInvalidName() => CodeFixVerifier<MicroBatchedDeclarationAnalyzer, NameWrapperCodeFixProvider>.VerifyAsync("""
        public partial class Model
        {
            [MicroBatched(Name = "get one")]
            Task<IReadOnlyList<int>> {|MBAT004:GetBatchAsync|}(IReadOnlyList<int> ids) => Task.FromResult(ids);
        }
        """, """
        public partial class Model
        {
            [MicroBatched(Name = "GetAsync")]
            Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => Task.FromResult(ids);
        }
        """);

    [Fact]
    public Task MBAT102_AwaitsInAnAsyncBatchMethod() => CodeFixVerifier<BlockingWaitAnalyzer, AwaitInsteadOfBlockingCodeFixProvider>.VerifyAsync("""
        public partial class Worker
        {
            [MicroBatched]
            private async Task<IReadOnlyList<int>> WorkBatchAsync(IReadOnlyList<string> items)
            {
                await Task.Yield();
                var length = {|MBAT102:Lookup(items[0]).Result|}.ToString().Length;
                {|MBAT102:Thread.Sleep(5)|};
                {|MBAT102:Task.WaitAll(Lookup("a"), Lookup("b"))|};
                return items.Select(i => i.Length + length).ToList();
            }

            private static Task<int> Lookup(string s) => Task.FromResult(s.Length);
        }
        """, """
        public partial class Worker
        {
            [MicroBatched]
            private async Task<IReadOnlyList<int>> WorkBatchAsync(IReadOnlyList<string> items)
            {
                await Task.Yield();
                var length = (await Lookup(items[0])).ToString().Length;
                await Task.Delay(5);
                await Task.WhenAll(Lookup("a"), Lookup("b"));
                return items.Select(i => i.Length + length).ToList();
            }

            private static Task<int> Lookup(string s) => Task.FromResult(s.Length);
        }
        """, iterations: 3);

    [Fact]
    public Task MBAT102_MakesATaskReturningBatchMethodAsync() => CodeFixVerifier<BlockingWaitAnalyzer, AwaitInsteadOfBlockingCodeFixProvider>.VerifyAsync("""
        public partial class Worker
        {
            [MicroBatched]
            private Task<IReadOnlyList<int>> WorkBatchAsync(IReadOnlyList<string> items)
            {
                var offset = {|MBAT102:Lookup(items[0]).GetAwaiter().GetResult()|};
                if (offset < 0)
                {
                    return Task.FromResult<IReadOnlyList<int>>(new int[items.Count]);
                }

                return Task.FromResult<IReadOnlyList<int>>(items.Select(i => i.Length + offset).ToList());
            }

            private static Task<int> Lookup(string s) => Task.FromResult(s.Length);
        }
        """, """
        public partial class Worker
        {
            [MicroBatched]
            private async Task<IReadOnlyList<int>> WorkBatchAsync(IReadOnlyList<string> items)
            {
                var offset = await Lookup(items[0]);
                if (offset < 0)
                {
                    return new int[items.Count];
                }

                return items.Select(i => i.Length + offset).ToList();
            }

            private static Task<int> Lookup(string s) => Task.FromResult(s.Length);
        }
        """);

    [Fact]
    public Task MBAT102_OffersNoFixWhereAwaitCannotGo() => CodeFixVerifier<BlockingWaitAnalyzer, AwaitInsteadOfBlockingCodeFixProvider>.VerifyNoFixAsync("""
        public partial class Worker
        {
            [MicroBatched]
            private int[] WorkBatch(IReadOnlyList<string> items)
            {
                var first = {|MBAT102:Lookup(items[0]).Result|};
                var index = {|MBAT102:Task.WaitAny(Lookup("a"), Lookup("b"))|};
                return items.Select(i => i.Length + first + index).ToArray();
            }

            [MicroBatched]
            private async Task<IReadOnlyList<int>> OtherBatchAsync(IReadOnlyList<string> items)
            {
                await Task.Yield();
                return items.Select(i => {|MBAT102:Lookup(i).Result|}).ToList();
            }

            private static Task<int> Lookup(string s) => Task.FromResult(s.Length);
        }
        """);

    [Fact]
    public Task MBAT103_AwaitsTheWrapperInAnAsyncMethod() => CodeFixVerifier<BlockingWaitAnalyzer, AwaitInsteadOfBlockingCodeFixProvider>.VerifyAsync(Model + """
        public class Caller
        {
            public async Task<string> RunAsync(Sentiment model)
            {
                await Task.Yield();
                {|MBAT103:model.InferAsync("warmup").Wait()|};
                return {|MBAT103:model.InferAsync("great").Result|}.ToString();
            }
        }
        """, Model + """
        public class Caller
        {
            public async Task<string> RunAsync(Sentiment model)
            {
                await Task.Yield();
                await model.InferAsync("warmup");
                return (await model.InferAsync("great")).ToString();
            }
        }
        """, iterations: 2);

    [Fact]
    public Task MBAT103_MakesATaskReturningMethodAsync() => CodeFixVerifier<BlockingWaitAnalyzer, AwaitInsteadOfBlockingCodeFixProvider>.VerifyAsync(Model + """
        public class Caller
        {
            public Task<float> ScoreAsync(Sentiment model, string text) => Task.FromResult({|MBAT103:model.InferAsync(text).Result|} * 2);
        }
        """, Model + """
        public class Caller
        {
            public async Task<float> ScoreAsync(Sentiment model, string text) => await model.InferAsync(text) * 2;
        }
        """);

    [Fact]
    public Task MBAT103_OffersNoFixInASynchronousMethod() => CodeFixVerifier<BlockingWaitAnalyzer, AwaitInsteadOfBlockingCodeFixProvider>.VerifyNoFixAsync(Model + """
        public class Caller
        {
            public float Score(Sentiment model, string text) => {|MBAT103:model.InferAsync(text).Result|};
        }
        """);

    [Fact]
    public Task MBAT201_ReplacesTheLoopWithTheManyWrapper() => CodeFixVerifier<AwaitInLoopAnalyzer, UseManyWrapperCodeFixProvider>.VerifyAsync(Model + """
        public class Caller
        {
            public async Task<List<float>> RunAsync(Sentiment model, IReadOnlyList<string> texts, CancellationToken ct)
            {
                var results = new List<float>();
                // Score every text.
                foreach (var text in texts)
                {
                    results.Add({|MBAT201:await model.InferAsync(text, ct).ConfigureAwait(false)|});
                }

                return results;
            }
        }
        """, Model + """
        public class Caller
        {
            public async Task<List<float>> RunAsync(Sentiment model, IReadOnlyList<string> texts, CancellationToken ct)
            {
                var results = new List<float>();
                // Score every text.
                results.AddRange(await model.InferManyAsync(texts, ct).ConfigureAwait(false));

                return results;
            }
        }
        """);

    [Fact]
    public Task MBAT201_OffersNoFixForOtherShapes() => CodeFixVerifier<AwaitInLoopAnalyzer, UseManyWrapperCodeFixProvider>.VerifyNoFixAsync(Model + """
        public class Caller
        {
            public async Task<List<float>> RunAsync(Sentiment model, IReadOnlyList<string> texts)
            {
                var results = new List<float>();
                foreach (var text in texts) results.Add({|MBAT201:await model.InferAsync(text.Trim())|});
                foreach (var text in texts) { var score = {|MBAT201:await model.InferAsync(text)|}; results.Add(score * 2); }
                ICollection<float> sink = results;
                foreach (var text in texts) sink.Add({|MBAT201:await model.InferAsync(text)|});
                int i = 0;
                while (i < texts.Count) { results.Add({|MBAT201:await model.InferAsync(texts[i])|}); i++; }
                foreach (var text in texts) { var pending = model.InferAsync(text); results.Add({|MBAT201:await pending|}); }
                return results;
            }
        }
        """);

    [Fact]
    public Task MBAT201_UsesTheManyWrapperOfTheSameOverload() => CodeFixVerifier<AwaitInLoopAnalyzer, UseManyWrapperCodeFixProvider>.VerifyAsync(OverloadedBatchMethods.Source + """
        public class Caller
        {
            public async Task<List<int>> RunAsync(Search search, float[][] vectors)
            {
                var results = new List<int>();
                foreach (var vector in vectors)
                {
                    results.Add({|MBAT201:await search.FindByVectorAsync(vector)|});
                }

                return results;
            }
        }
        """, OverloadedBatchMethods.Source + """
        public class Caller
        {
            public async Task<List<int>> RunAsync(Search search, float[][] vectors)
            {
                var results = new List<int>();
                results.AddRange(await search.FindByVectorManyAsync(vectors));

                return results;
            }
        }
        """);

    [Fact]
    public Task MBAT303_MakesABatchDagClassAndItsEnclosingTypePartial() => CodeFixVerifier<BatchDagAnalyzer, MakeTypePartialCodeFixProvider>.VerifyAsync("""
        public class Outer
        {
            [BatchDag]
            public sealed class {|MBAT303:Pipeline|}
            {
                [DagNode(Output = true)]
                private IReadOnlyList<int> Double(IReadOnlyList<int> x) => x.Select(v => v * 2).ToArray();
            }
        }
        """, """
        public partial class Outer
        {
            [BatchDag]
            public sealed partial class Pipeline
            {
                [DagNode(Output = true)]
                private IReadOnlyList<int> Double(IReadOnlyList<int> x) => x.Select(v => v * 2).ToArray();
            }
        }
        """);

    [Fact]
    public Task MBAT303_OffersNoPartialFixForAGraphWithoutOutput() => CodeFixVerifier<BatchDagAnalyzer, MakeTypePartialCodeFixProvider>.VerifyNoFixAsync("""
        [BatchDag]
        public sealed partial class {|MBAT303:Pipeline|}
        {
            [DagNode]
            private IReadOnlyList<int> Double(IReadOnlyList<int> x) => x;
        }
        """);
}
