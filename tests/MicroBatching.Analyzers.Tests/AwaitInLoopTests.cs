using MicroBatching.Analyzers.Loops;

namespace MicroBatching.Analyzers.Tests;

public sealed class AwaitInLoopTests
{
    private const string Model = """
        public partial class Sentiment
        {
            [MicroBatched]
            private Task<IReadOnlyList<float>> InferBatchAsync(IReadOnlyList<string> texts, CancellationToken ct) =>
                Task.FromResult<IReadOnlyList<float>>(new float[texts.Count]);

            [MicroBatched]
            private Task<IReadOnlyList<string>> RewriteBatchAsync(IReadOnlyList<string> texts) => Task.FromResult(texts);

            public Task<float> PlainAsync(string text) => Task.FromResult(1f);
        }

        """;

    private static Task Verify(string body) => AnalyzerVerifier<AwaitInLoopAnalyzer>.VerifyAsync(Model + $$"""
        public class Caller
        {
            public async Task<List<float>> Run(Sentiment model, IReadOnlyList<string> texts, CancellationToken ct)
            {
                var results = new List<float>();
                {{body}}
                return results;
            }
        }
        """);

    [Theory]
    [InlineData("foreach (var text in texts) results.Add({|MBAT201:await model.InferAsync(text)|});")]
    [InlineData("foreach (var text in texts) { var score = {|MBAT201:await model.InferAsync(text, ct)|}; results.Add(score * 2); }")]
    [InlineData("for (int i = 0; i < texts.Count; i++) results.Add({|MBAT201:await model.InferAsync(texts[i]).ConfigureAwait(false)|});")]
    [InlineData("foreach (var text in texts) { if (text.Length == 0) continue; results.Add({|MBAT201:await model.InferAsync(text.Trim())|}); }")]
    [InlineData("foreach (var text in texts) { try { results.Add({|MBAT201:await model.InferAsync(text)|}); } catch (InvalidOperationException) { results.Add(0); } }")]
    [InlineData("int i = 0; while (i < texts.Count) { results.Add({|MBAT201:await model.InferAsync(texts[i])|}); i++; }")]
    [InlineData("int i = 0; do { results.Add({|MBAT201:await model.InferAsync(texts[i])|}); i += 1; } while (i < texts.Count);")]
    [InlineData("foreach (var text in texts) { var pending = model.InferAsync(text); results.Add({|MBAT201:await pending|}); }")]
    [InlineData("for (int i = 0; i < texts.Count; i++) { var pending = model.InferAsync(texts[i], ct); results.Add({|MBAT201:await pending.ConfigureAwait(false)|}); }")]
    public Task ReportsAWrapperAwaitedOneItemPerIteration(string body) => Verify(body);

    [Fact]
    public Task MessageNamesTheManyWrapper() => AnalyzerVerifier<AwaitInLoopAnalyzer>.VerifyAsync(Model + """
        public class Caller
        {
            public async Task Run(Sentiment model, string[] texts)
            {
                foreach (var text in texts) _ = {|#0:await model.InferAsync(text)|};
            }
        }
        """,
        AnalyzerVerifier<AwaitInLoopAnalyzer>.Diagnostic("MBAT201").WithLocation(0).WithArguments("InferAsync", "InferManyAsync"));

    [Theory]
    [InlineData("var scores = await model.InferManyAsync(texts); results.AddRange(scores);")]
    [InlineData("foreach (var chunk in texts.Chunk(10)) results.AddRange(await model.InferManyAsync(chunk));")]
    [InlineData("var text = texts[0]; for (int i = 0; i < 3; i++) { text = await model.RewriteAsync(text); }")]
    [InlineData("foreach (var text in texts) { var score = await model.InferAsync(text); if (score > 0.9f) break; results.Add(score); }")]
    [InlineData("foreach (var text in texts) { var score = await model.InferAsync(text); if (score < 0) return results; results.Add(score); }")]
    [InlineData("foreach (var text in texts) results.Add(await model.PlainAsync(text));")]
    [InlineData("var text = texts[0]; int n = 0; while (n++ < 3) { text = await model.RewriteAsync(text); }")]
    [InlineData("var pending = model.InferAsync(texts[0]); foreach (var text in texts) { results.Add(await pending); }")]
    [InlineData("foreach (var text in texts) { var pending = model.InferAsync(text); pending = model.InferAsync(text + text); results.Add(await pending); }")]
    [InlineData("var queue = new Queue<string>(texts); while (queue.Count > 0) { var s = await model.InferAsync(queue.Dequeue()); if (s < 0) queue.Enqueue(\"retry\"); }")]
    [InlineData("results.AddRange(await Task.WhenAll(texts.Select(async text => await model.InferAsync(text))));")]
    [InlineData("var first = await model.InferAsync(texts[0]); results.Add(first);")]
    [InlineData("results.AddRange(await model.InferManyAsync(texts).ConfigureAwait(false));")]
    [InlineData("var tasks = texts.Select(text => model.InferAsync(text)).ToList(); foreach (var task in tasks) results.Add(await task);")]
    [InlineData("var tasks = new List<Task<float>>(); foreach (var text in texts) tasks.Add(model.InferAsync(text)); results.AddRange(await Task.WhenAll(tasks));")]
    [InlineData("foreach (var text in texts) { using var scope = new System.IO.MemoryStream(); results.Add(scope.Length); } results.AddRange(await model.InferManyAsync(texts));")]
    [InlineData("async Task<float> ScoreAsync(string text) => await model.InferAsync(text); results.AddRange(await Task.WhenAll(texts.Select(ScoreAsync)));")]
    [InlineData("for (int attempt = 0; attempt < 3; attempt++) { try { results.Add(await model.InferAsync(texts[0])); break; } catch (InvalidOperationException) { } }")]
    [InlineData("var next = texts[0]; do { next = await model.RewriteAsync(next); } while (next.Length < 10);")]
    [InlineData("await foreach (var text in ReadAsync()) { results.Add(text.Length); } async IAsyncEnumerable<string> ReadAsync() { await Task.Yield(); yield return \"a\"; }")]
    [InlineData("foreach (var text in texts) { await Task.Delay(1); results.Add(text.Length); }")]
    public Task LookAlikesStaySilent(string body) => Verify(body);

    // The many-wrapper takes an IEnumerable, not a stream: suggesting it for 'await foreach' would advise code that does not compile.
    [Fact]
    public Task AnAwaitForeachOverAStreamIsNotToldToUseTheManyWrapper() => AnalyzerVerifier<AwaitInLoopAnalyzer>.VerifyAsync(Model + """
        public class Caller
        {
            public async Task<List<float>> Run(Sentiment model, IAsyncEnumerable<string> texts)
            {
                var results = new List<float>();
                await foreach (var text in texts)
                {
                    results.Add(await model.InferAsync(text));
                }

                return results;
            }
        }
        """);

    [Fact]
    public Task OverloadedBatchMethodsSuggestTheirOwnManyWrapper() => AnalyzerVerifier<AwaitInLoopAnalyzer>.VerifyAsync(OverloadedBatchMethods.Source + """
        public class Caller
        {
            public async Task Run(Search search, float[][] vectors, string[] texts)
            {
                foreach (var vector in vectors) _ = {|#0:await search.FindByVectorAsync(vector)|};
                foreach (var text in texts) _ = {|#1:await search.FindByTextAsync(text)|};
            }
        }
        """,
        AnalyzerVerifier<AwaitInLoopAnalyzer>.Diagnostic("MBAT201").WithLocation(0).WithArguments("FindByVectorAsync", "FindByVectorManyAsync"),
        AnalyzerVerifier<AwaitInLoopAnalyzer>.Diagnostic("MBAT201").WithLocation(1).WithArguments("FindByTextAsync", "FindByTextManyAsync"));
}
