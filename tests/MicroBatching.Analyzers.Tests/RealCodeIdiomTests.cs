using MicroBatching.Analyzers.Blocking;
using MicroBatching.Analyzers.ResultCount;

namespace MicroBatching.Analyzers.Tests;

/// <summary>
/// Correct batch methods as real code writes them: none of them may get a warning, or users learn to suppress the rule
/// and lose its true findings too. Each idiom goes through every analyzer that looks at batch method bodies.
/// </summary>
public sealed class RealCodeIdiomTests
{
    private const string Support = """
        public sealed class Connection : IAsyncDisposable, IDisposable
        {
            public ValueTask DisposeAsync() => default;
            public void Dispose() { }
            public Task<int[]> QueryAsync(IReadOnlyList<string> keys, CancellationToken ct = default) => Task.FromResult(keys.Select(k => k.Length).ToArray());
            public Task<Dictionary<string, int>> LookupAsync(IEnumerable<string> keys) => Task.FromResult(keys.Distinct().ToDictionary(k => k, k => k.Length));
            public Task<int> OneAsync(string key) => Task.FromResult(key.Length);
        }

        """;


    public static TheoryData<string> Idioms =>
    [
        // Guards.
        "if (items.Count == 0) return []; await using var c = new Connection(); return await c.QueryAsync(items, ct);",
        // A projection over the input.
        "await Task.Yield(); return items.Select(i => i.Length * 2).ToList();",
        // ToArray of a projection, through ConfigureAwait(false).
        "await using var c = new Connection(); var rows = await c.QueryAsync(items, ct).ConfigureAwait(false); return rows.Select(r => r + 1).ToArray();",
        // A dictionary indexed by the input.
        "await using var c = new Connection(); var found = await c.LookupAsync(items.Distinct()); return items.Select(i => found.TryGetValue(i, out int v) ? v : -1).ToList();",
        // A pre-sized array filled by index.
        "var results = new int[items.Count]; for (int i = 0; i < items.Count; i++) { results[i] = items[i].Length; } await Task.Yield(); return results;",
        // await inside using.
        "using (var c = new Connection()) { var rows = await c.QueryAsync(items, ct); return rows; }",
        // Task.WhenAll over per-item calls of something else.
        "await using var c = new Connection(); return await Task.WhenAll(items.Select(i => c.OneAsync(i)));",
        // A local function that does the work.
        "return await Query(items); async Task<IReadOnlyList<int>> Query(IReadOnlyList<string> keys) { await using var c = new Connection(); return await c.QueryAsync(keys, ct); }",
        // A list filled once per item by a foreach.
        "var results = new List<int>(items.Count); await using var c = new Connection(); foreach (var item in items) { results.Add(await c.OneAsync(item)); } return results;",
        // Zip of the input with results computed in bulk.
        "await using var c = new Connection(); var rows = await c.QueryAsync(items, ct); return items.Zip(rows, (i, r) => i.Length + r).ToList();",
        // Array.ConvertAll and a ValueTask awaited.
        "await new ValueTask(Task.Delay(0, ct)); return Array.ConvertAll(items.ToArray(), i => i.Length);",
        // A result of the awaited WhenAll read with .Result, which is complete.
        "await using var c = new Connection(); var a = c.QueryAsync(items, ct); var b = c.QueryAsync(items, ct); await Task.WhenAll(a, b); return a.Result.Zip(b.Result, (x, y) => x + y).ToList();",
    ];

    [Theory]
    [MemberData(nameof(Idioms))]
    public async Task NoAnalyzerReportsACorrectBatchMethod(string body)
    {
        string source = Support + $$"""
            public partial class Model
            {
                [MicroBatched]
                private async Task<IReadOnlyList<int>> ScoreBatchAsync(IReadOnlyList<string> items, CancellationToken ct)
                {
                    {{body}}
                }
            }
            """;

        await AnalyzerVerifier<ResultCountAnalyzer>.VerifyAsync(source);
        await AnalyzerVerifier<BlockingWaitAnalyzer>.VerifyAsync(source);
    }
}
