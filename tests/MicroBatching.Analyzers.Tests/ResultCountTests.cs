using MicroBatching.Analyzers.ResultCount;

namespace MicroBatching.Analyzers.Tests;

public sealed class ResultCountTests
{
    private static Task Verify(string body, string signature = "Task<IReadOnlyList<int>> ScoreBatchAsync(IReadOnlyList<string> items)", string attribute = "[MicroBatched]") =>
        AnalyzerVerifier<ResultCountAnalyzer>.VerifyAsync($$"""
            public partial class Model
            {
                {{attribute}}
                {{signature}}
                {
                    {{body}}
                }

                static int Score(string text) => text.Length;
            }
            """);

    [Theory]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:Array.Empty<int>()|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:new int[0]|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:[]|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:new List<int>()|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:Enumerable.Empty<int>().ToList()|});")]
    public Task EmptyResults(string body) => Verify(body);

    [Theory]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:new int[32]|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:new[] { Score(items[0]) }|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:[1, 2, 3]|});")]
    [InlineData("var results = new int[10]; for (int i = 0; i < 10; i++) results[i] = i; return Task.FromResult<IReadOnlyList<int>>({|MBAT101:results|});")]
    public Task FixedSizeResults(string body) => Verify(body);

    [Theory]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:items.Where(t => t.Length > 0).Select(Score).ToList()|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:items.Distinct().Select(Score).ToArray()|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:items.Select(Score).Take(5).ToList()|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:items.Skip(1).Select(Score).ToList()|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:items.SelectMany(t => t.Split(' ')).Select(Score).ToList()|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:items.Concat(items).Select(Score).ToList()|});")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>({|MBAT101:items.Select(Score).Append(0).ToList()|});")]
    [InlineData("var scores = items.Where(t => t != \"\").Select(Score).ToArray(); return Task.FromResult<IReadOnlyList<int>>({|MBAT101:scores|});")]
    public Task FiltersAndExpansionsOfTheItems(string body) => Verify(body);

    [Theory]
    [InlineData("var results = new List<int>(); return Task.FromResult<IReadOnlyList<int>>({|MBAT101:results|});")]
    [InlineData("var results = new List<int>(); foreach (var item in items) { if (item.Length > 0) results.Add(Score(item)); } return Task.FromResult<IReadOnlyList<int>>({|MBAT101:results|});")]
    [InlineData("var results = new List<int>(); foreach (var item in items) { if (item.Length == 0) continue; results.Add(Score(item)); } return Task.FromResult<IReadOnlyList<int>>({|MBAT101:results|});")]
    [InlineData("var results = new List<int>(items.Count); for (int i = 0; i < items.Count; i++) { results.Add(Score(items[i])); results.Add(0); } return Task.FromResult<IReadOnlyList<int>>({|MBAT101:results.AsReadOnly()|});")]
    public Task ListsFilledByALoopThatDoesNotAddExactlyOncePerItem(string body) => Verify(body);

    [Fact]
    public Task AsyncMethodsAndExpressionBodies() => AnalyzerVerifier<ResultCountAnalyzer>.VerifyAsync("""
        public partial class Model
        {
            [MicroBatched]
            async Task<IReadOnlyList<int>> ScoreBatchAsync(IReadOnlyList<string> items)
            {
                await Task.Yield();
                return {|MBAT101:items.Where(t => t.Length > 1).Select(t => t.Length).ToList()|};
            }

            [MicroBatched]
            int[] CountBatch(IReadOnlyList<string> items) => {|MBAT101:items.Distinct().Select(t => t.Length).ToArray()|};

            [MicroBatched]
            ValueTask<IReadOnlyList<int>> RankBatchAsync(IReadOnlyList<string> items) => new({|MBAT101:Array.Empty<int>()|});
        }
        """);

    [Theory]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>(items.Select(Score).ToList());")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>(items.OrderBy(t => t).Select(Score).Reverse().ToArray());")]
    [InlineData("var results = new int[items.Count]; for (int i = 0; i < results.Length; i++) results[i] = Score(items[i]); return Task.FromResult<IReadOnlyList<int>>(results);")]
    [InlineData("var results = new List<int>(); foreach (var item in items) results.Add(Score(item)); return Task.FromResult<IReadOnlyList<int>>(results);")]
    [InlineData("var results = new List<int>(); foreach (var item in items) { if (item.Length > 0) results.Add(Score(item)); else results.Add(-1); } return Task.FromResult<IReadOnlyList<int>>(results);")]
    [InlineData("var results = new List<int>(); for (int i = 0; i < items.Count; i++) { var score = Score(items[i]); results.Add(score); } return Task.FromResult<IReadOnlyList<int>>(results);")]
    [InlineData("var results = new List<int>(); Fill(results, items); return Task.FromResult<IReadOnlyList<int>>(results);")]
    [InlineData("var results = new List<int>(); foreach (var item in items) { foreach (var word in item.Split(' ')) results.Add(Score(word)); } return Task.FromResult<IReadOnlyList<int>>(results);")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>(items.Take(items.Count).Select(Score).ToList());")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>(items.Select(Score).Take(1000).ToList());")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>(Other().Where(x => x > 0).ToList());")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>(Compute(items));")]
    [InlineData("return Task.FromResult<IReadOnlyList<int>>(items.Count == 0 ? [] : items.Select(Score).ToList());")]
    public Task LookAlikesStaySilent(string body) => AnalyzerVerifier<ResultCountAnalyzer>.VerifyAsync($$"""
        public partial class Model
        {
            [MicroBatched]
            Task<IReadOnlyList<int>> ScoreBatchAsync(IReadOnlyList<string> items)
            {
                {{body}}
            }

            static int Score(string text) => text.Length;
            static void Fill(List<int> results, IReadOnlyList<string> items) { foreach (var item in items) results.Add(Score(item)); }
            static IEnumerable<int> Other() => new[] { 1, 2 };
            static IReadOnlyList<int> Compute(IReadOnlyList<string> items) => items.Select(Score).ToList();
        }
        """);

    [Theory]
    [InlineData("var unique = items.Distinct().ToList(); return Task.FromResult<IReadOnlyList<int>>({|MBAT104:unique.Select(Score).ToList()|});")]
    [InlineData("var unique = items.DistinctBy(t => t.Length).ToArray(); return Task.FromResult<IReadOnlyList<int>>({|MBAT104:unique.Select(Score).ToArray()|});")]
    [InlineData("var kept = items.Where(t => t.Length > 0); return Task.FromResult<IReadOnlyList<int>>({|MBAT104:kept.Select(Score).ToList()|});")]
    [InlineData("var rest = items.Skip(1).ToList(); return Task.FromResult<IReadOnlyList<int>>({|MBAT104:rest.Select(Score).ToList()|});")]
    [InlineData("var first = items.Take(3).ToList(); return Task.FromResult<IReadOnlyList<int>>({|MBAT104:first.Select(Score).ToList()|});")]
    [InlineData("var groups = items.GroupBy(t => t.Length).ToList(); return Task.FromResult<IReadOnlyList<int>>({|MBAT104:groups.Select(g => g.Key).ToList()|});")]
    [InlineData("var set = items.ToHashSet(); return Task.FromResult<IReadOnlyList<int>>({|MBAT104:set.Select(Score).ToList()|});")]
    public Task MBAT104_ResultsComputedFromACountChangingLocal(string body) => Verify(body);

    [Fact]
    public Task MBAT101_ReportsAHashSetOfTheItemsReturnedDirectly() => Verify(
        "return Task.FromResult<IReadOnlyList<int>>({|MBAT101:items.ToHashSet().Select(Score).ToList()|});");

    [Theory]
    [InlineData("var unique = items.Distinct().ToList(); var map = unique.ToDictionary(t => t, Score); return Task.FromResult<IReadOnlyList<int>>(items.Select(i => map[i]).ToList());")]
    [InlineData("var unique = items.Distinct().ToList(); return Task.FromResult<IReadOnlyList<int>>(items.Select(i => unique.IndexOf(i)).ToList());")]
    [InlineData("var list = items.Distinct().ToList(); list = items.ToList(); return Task.FromResult<IReadOnlyList<int>>(list.Select(Score).ToList());")]
    [InlineData("var copy = items.ToList(); return Task.FromResult<IReadOnlyList<int>>(copy.Select(Score).ToList());")]
    [InlineData("var all = items.Take(items.Count).ToList(); return Task.FromResult<IReadOnlyList<int>>(all.Select(Score).ToList());")]
    [InlineData("var ordered = items.OrderBy(t => t).ToList(); return Task.FromResult<IReadOnlyList<int>>(ordered.Select(Score).ToList());")]
    public Task MBAT104_ResultsMappedBackPerItemStaySilent(string body) => Verify(body);

    [Fact]
    public Task AOneItemArrayIsRightWhenBatchesHoldOneItem() => Verify(
        "return Task.FromResult<IReadOnlyList<int>>(new[] { Score(items[0]) });", attribute: "[MicroBatched(MaxSize = 1)]");

    [Fact]
    public Task TheKeyedFormNeverReports() => Verify(
        "return Task.FromResult<IReadOnlyDictionary<string, int>>(items.Where(t => t.Length > 0).Distinct().ToDictionary(t => t, Score));",
        signature: "Task<IReadOnlyDictionary<string, int>> ScoreBatchAsync(IReadOnlyList<string> items)");

    [Fact]
    public Task MethodsWithoutTheAttributeNeverReport() => Verify(
        "return Task.FromResult<IReadOnlyList<int>>(items.Where(t => t.Length > 0).Select(Score).ToList());", attribute: "");

    [Fact]
    public Task ReturnsInsideLambdasAreNotTheBatchResult() => Verify("""
        Func<IReadOnlyList<int>> empty = () => Array.Empty<int>();
        return Task.FromResult<IReadOnlyList<int>>(items.Select(Score).ToList());
        """);

    [Fact]
    public Task MBAT101_CoversBatchMethodsWithPerItemResults() => AnalyzerVerifier<ResultCountAnalyzer>.VerifyAsync("""
        public partial class Parser
        {
            [MicroBatched]
            private IReadOnlyList<BatchItemResult<int>> ParseBatch(IReadOnlyList<string> texts) =>
                {|MBAT101:texts.Distinct().Select(t => BatchItemResult<int>.Success(t.Length)).ToList()|};

            [MicroBatched]
            private IReadOnlyList<BatchItemResult<int>> CountBatch(IReadOnlyList<string> texts) =>
                texts.Select(t => BatchItemResult<int>.Success(t.Length)).ToList();
        }
        """);

    // An empty (or fixed-size) result is right when the return is reached only with that many items.
    [Theory]
    [InlineData("if (items.Count == 0) return Task.FromResult<IReadOnlyList<int>>(Array.Empty<int>());")]
    [InlineData("if (items.Count == 0) { return Task.FromResult<IReadOnlyList<int>>([]); }")]
    [InlineData("if (0 == items.Count) return Task.FromResult<IReadOnlyList<int>>(new List<int>());")]
    [InlineData("if (items.Count < 1) return Task.FromResult<IReadOnlyList<int>>(new int[0]);")]
    [InlineData("if (items.Count <= 0) return Task.FromResult<IReadOnlyList<int>>([]);")]
    [InlineData("if (!items.Any()) return Task.FromResult<IReadOnlyList<int>>(Array.Empty<int>());")]
    [InlineData("if (items.Count() == 0) return Task.FromResult<IReadOnlyList<int>>([]);")]
    [InlineData("if (items is { Count: 0 }) return Task.FromResult<IReadOnlyList<int>>([]);")]
    [InlineData("if (items is []) return Task.FromResult<IReadOnlyList<int>>([]);")]
    [InlineData("if (items.Count is 0) return Task.FromResult<IReadOnlyList<int>>([]);")]
    [InlineData("if (items is null || items.Count == 0) return Task.FromResult<IReadOnlyList<int>>([]);")]
    [InlineData("if (items == null) return Task.FromResult<IReadOnlyList<int>>([]);")]
    [InlineData("int n = items.Count; if (n == 0) return Task.FromResult<IReadOnlyList<int>>([]);")]
    [InlineData("if (items.Count > 0) { } else { return Task.FromResult<IReadOnlyList<int>>([]); }")]
    [InlineData("if (items.Count != 0) { return Task.FromResult<IReadOnlyList<int>>(items.Select(Score).ToList()); } return Task.FromResult<IReadOnlyList<int>>([]);")]
    [InlineData("if (items.Any()) { return Task.FromResult<IReadOnlyList<int>>(items.Select(Score).ToList()); } return Task.FromResult<IReadOnlyList<int>>(Array.Empty<int>());")]
    [InlineData("if (items.Count == 1) return Task.FromResult<IReadOnlyList<int>>(new[] { Score(items[0]) });")]
    [InlineData("if (items.Count == 0 && DateTime.Now.Year > 2000) return Task.FromResult<IReadOnlyList<int>>([]);")]
    [InlineData("if (items.Count == 0) return Task.FromResult<IReadOnlyList<int>>(items.Where(t => t.Length > 0).Select(Score).ToList());")]
    [InlineData("var results = new List<int>(); if (items.Count == 0) return Task.FromResult<IReadOnlyList<int>>(results); foreach (var item in items) results.Add(Score(item)); return Task.FromResult<IReadOnlyList<int>>(results);")]
    [InlineData("if (items is not { Count: > 0 }) return Task.FromResult<IReadOnlyList<int>>([]);")]
    public Task GuardClausesStaySilent(string body) => Verify(body + FallThrough);

    [Fact]
    public Task AGuardOnAnArrayLengthStaysSilent() => Verify(
        "if (items.Length == 0) return Array.Empty<int>(); return items.Select(Score).ToArray();",
        signature: "int[] ScoreBatch(string[] items)");

    private const string FallThrough = " return Task.FromResult<IReadOnlyList<int>>(items.Select(Score).ToList());";

    // A guard that does not prove the count the result has is no excuse.
    [Theory]
    [InlineData("if (items.Count == 1) return Task.FromResult<IReadOnlyList<int>>({|MBAT101:[]|});" + FallThrough)]
    [InlineData("if (items.Count > 0) return Task.FromResult<IReadOnlyList<int>>({|MBAT101:Array.Empty<int>()|});" + FallThrough)]
    [InlineData("if (items.Any()) return Task.FromResult<IReadOnlyList<int>>({|MBAT101:[]|});" + FallThrough)]
    [InlineData("if (items.Count == 0 || DateTime.Now.Year > 2000) return Task.FromResult<IReadOnlyList<int>>({|MBAT101:[]|});" + FallThrough)]
    [InlineData("if (items.Count == 2) return Task.FromResult<IReadOnlyList<int>>({|MBAT101:new[] { 1, 2, 3 }|});" + FallThrough)]
    [InlineData("if (items.Count == 0) return Task.FromResult<IReadOnlyList<int>>({|MBAT101:items.Select(Score).Append(0).ToList()|});" + FallThrough)]
    [InlineData("if (items.Count != 0) return Task.FromResult<IReadOnlyList<int>>({|MBAT101:[]|});" + FallThrough)]
    [InlineData("if (items.Count == 0) { } return Task.FromResult<IReadOnlyList<int>>({|MBAT101:[]|});")]
    [InlineData("if (items.Count == 0) Console.WriteLine(); return Task.FromResult<IReadOnlyList<int>>({|MBAT101:[]|});")]
    public Task GuardsThatProveAnotherCountStillReport(string body) => Verify(body);
}
