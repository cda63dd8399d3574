using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroBatching.Generators.Tests;

/// <summary>The executor generated for [BatchDag] classes: golden files, graphs that get no code, and caching.</summary>
public sealed class BatchDagSourceTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using MicroBatching;

        """;

    public static readonly IReadOnlyDictionary<string, string> Graphs = new Dictionary<string, string>
    {
        ["DagChainAndDiamond"] = Usings + """
            namespace Shop;

            public sealed record Verdict(bool Spam, string Text);

            [BatchDag(MaxParallelism = 10)]
            public sealed partial class ReviewPipeline
            {
                [DagNode(MaxSize = 64)]
                private Task<IReadOnlyList<string>> Clean(IReadOnlyList<string> review, CancellationToken ct) => Task.FromResult(review);

                [DagNode]
                private async Task<IReadOnlyList<float[]>> Embed(IReadOnlyList<string> clean, CancellationToken ct)
                {
                    await Task.Yield();
                    return [.. clean.Select(c => new float[] { c.Length })];
                }

                [DagNode]
                private IReadOnlyList<bool> IsSpam(IReadOnlyList<float[]> embed) => [.. embed.Select(e => e[0] > 100)];

                [DagNode(Output = true)]
                private IReadOnlyList<Verdict> Decide(IReadOnlyList<float[]> embed, IReadOnlyList<bool> isSpam, IReadOnlyList<string> review) =>
                    [.. isSpam.Select((s, i) => new Verdict(s, review[i]))];
            }
            """,

        ["DagSeveralInputsOutputsAndItemNodes"] = Usings + """
            namespace Shop;

            [BatchDag(MaxParallelism = 2, StreamWindow = 128)]
            internal partial class Pricing
            {
                [DagNode(MaxSize = 16)]
                private int[] Base(string[] sku) => [.. sku.Select(s => s.Length)];

                [DagNode]
                private ValueTask<decimal> Discount(int quantity, CancellationToken ct) => new(quantity > 10 ? 0.1m : 0m);

                [DagNode(Output = true)]
                private static List<decimal> Total(IList<int> @base, IEnumerable<decimal> discount, List<int> quantity) =>
                    [.. @base.Select((b, i) => b * quantity[i] * (1 - discount.ElementAt(i)))];

                [DagNode(Output = true)]
                private static string Label(string sku, decimal total) => $"{sku}: {total}";
            }
            """,

        ["DagStaticInGlobalNamespace"] = Usings + """
            [BatchDag]
            public static partial class Tokens
            {
                [DagNode(MaxSize = 8, MaxWaitMs = 2, MaxConcurrency = 2)]
                private static IReadOnlyList<int> Count(IReadOnlyList<string> text) => [.. text.Select(t => t.Length)];

                [DagNode(Output = true)]
                private static Task<IList<long>> Square(IReadOnlyList<int> count) => Task.FromResult<IList<long>>([.. count.Select(c => (long)c * c)]);
            }
            """,
    };

    public static TheoryData<string> GraphNames => [.. Graphs.Keys];

    [Theory]
    [MemberData(nameof(GraphNames))]
    public void EachGraphGeneratesTheExpectedExecutorWhichCompilesWithoutWarnings(string name)
    {
        GeneratorOutput output = GeneratorHarness.Run(Graphs[name]);

        Assert.Empty(output.GeneratorDiagnostics);
        Assert.Empty(output.Problems);
        GeneratedSourceResult source = Assert.Single(output.GeneratedSources);
        Assert.EndsWith(".BatchDag.g.cs", source.HintName, StringComparison.Ordinal);
        GoldenFile.AssertMatches($"// {source.HintName}\n{source.SourceText}", name);
    }

    [Theory]
    [InlineData("a cycle", "[BatchDag] public partial class G { [DagNode(Output = true)] IReadOnlyList<int> A(IReadOnlyList<int> b) => b; [DagNode] IReadOnlyList<int> B(IReadOnlyList<int> a) => a; }")]
    [InlineData("a node consuming itself", "[BatchDag] public partial class G { [DagNode(Output = true)] IReadOnlyList<int> A(IReadOnlyList<int> a) => a; }")]
    [InlineData("an edge of the wrong type", "[BatchDag] public partial class G { [DagNode] IReadOnlyList<string> A(IReadOnlyList<int> x) => null!; [DagNode(Output = true)] IReadOnlyList<int> B(IReadOnlyList<int> a) => a; }")]
    [InlineData("an input with two types", "[BatchDag] public partial class G { [DagNode] IReadOnlyList<int> A(IReadOnlyList<int> x) => x; [DagNode(Output = true)] IReadOnlyList<int> B(IReadOnlyList<int> a, IReadOnlyList<string> x) => a; }")]
    [InlineData("no output", "[BatchDag] public partial class G { [DagNode] IReadOnlyList<int> A(IReadOnlyList<int> x) => x; }")]
    [InlineData("a list in, one value out", "[BatchDag] public partial class G { [DagNode(Output = true)] int A(IReadOnlyList<int> x) => 0; }")]
    [InlineData("a node returning a plain Task", "[BatchDag] public partial class G { [DagNode(Output = true)] Task A(IReadOnlyList<int> x) => Task.CompletedTask; }")]
    [InlineData("not partial", "[BatchDag] public class G { [DagNode(Output = true)] IReadOnlyList<int> A(IReadOnlyList<int> x) => x; }")]
    [InlineData("a setting out of range", "[BatchDag] public partial class G { [DagNode(Output = true, MaxSize = 0)] IReadOnlyList<int> A(IReadOnlyList<int> x) => x; }")]
    [InlineData("two nodes named alike", "[BatchDag] public partial class G { [DagNode(Output = true)] IReadOnlyList<int> A(IReadOnlyList<int> x) => x; [DagNode] IReadOnlyList<int> a(IReadOnlyList<int> y) => y; }")]
    public void AGraphWithAnErrorGetsNoCodeAndTheUserCodeStillCompiles(string why, string declaration)
    {
        GeneratorOutput output = GeneratorHarness.Run(Usings + declaration);

        Assert.True(output.GeneratedSources.IsEmpty, $"Code was generated for a graph with {why}.");
        Assert.Empty(output.GeneratorDiagnostics);
        Assert.Empty(output.Problems);
    }

    [Fact]
    public void AnEdgeToABaseTypeOrInterfaceCompilesOnEveryPath()
    {
        GeneratorOutput output = GeneratorHarness.Run(Usings + """
            [BatchDag] public partial class G
            {
                [DagNode] IReadOnlyList<string> A(IReadOnlyList<int> id) => id.Select(i => i.ToString()).ToArray();
                [DagNode] int B(object a) => 1;
                [DagNode(Output = true)] IReadOnlyList<int> C(IReadOnlyList<System.IComparable<string>> a, IReadOnlyList<int> b) => b;
            }
            """);

        Assert.Single(output.GeneratedSources);
        Assert.Empty(output.Problems);
    }

    [Fact]
    public void AnUnusedNodeIsLeftOutOfTheExecutor()
    {
        GeneratorOutput output = GeneratorHarness.Run(Usings + """
            [BatchDag] public partial class G
            {
                [DagNode(Output = true)] IReadOnlyList<int> A(IReadOnlyList<int> x) => x;
                [DagNode] IReadOnlyList<int> Unused(IReadOnlyList<int> a, IReadOnlyList<string> extra) => a;
            }
            """);

        string source = Assert.Single(output.GeneratedSources).SourceText.ToString();
        Assert.DoesNotContain("Unused", source, StringComparison.Ordinal);
        Assert.Contains("ExecuteAsync(int x, ", source, StringComparison.Ordinal);
        Assert.Empty(output.Problems);
    }

    [Fact]
    public void ChangingANodesSizeRegeneratesTheExecutor()
    {
        string graph = Graphs["DagChainAndDiamond"];
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(graph);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(graph.Replace("[DagNode(MaxSize = 64)]", "[DagNode(MaxSize = 65)]"), GeneratorHarness.ParseOptions, "Source0.cs"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results[1];

        Assert.Contains("65", Assert.Single(result.GeneratedSources).SourceText.ToString(), StringComparison.Ordinal);
        IncrementalAssert.AssertAllOutputs(result, SourceGeneration.TrackingNames.ValidDagGraphs, IncrementalStepRunReason.Modified);
    }
}
