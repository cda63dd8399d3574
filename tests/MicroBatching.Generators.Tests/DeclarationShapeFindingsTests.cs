using Microsoft.CodeAnalysis;

namespace MicroBatching.Generators.Tests;

/// <summary>
/// Declarations that compile and that the generator once broke: it threw, or emitted code that did not compile or
/// declared a different type. Each is now either generated exactly or rejected with an MBAT error by the analyzers.
/// </summary>
public sealed class DeclarationShapeFindingsTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using MicroBatching;

        """;

    private const string Elsewhere = Usings + """
        namespace Elsewhere;

        public partial class Other
        {
            [MicroBatched] private Task<IReadOnlyList<int>> CountBatchAsync(IReadOnlyList<string> texts) => null!;
        }
        """;

    [Theory]
    [InlineData("namespace @class.@event;")]
    [InlineData("namespace Ünïcødé.Äpp;")]
    public void ANamespaceThatIsNoFileNameStillGetsItsWrappersAndTakesNothingFromTheRest(string namespaceLine)
    {
        GeneratorOutput output = GeneratorHarness.Run(Usings + namespaceLine + """

            public partial class Model
            {
                [MicroBatched] private Task<IReadOnlyList<int>> ScoreBatchAsync(IReadOnlyList<string> texts) => null!;
            }
            """, Elsewhere);

        Assert.Equal(2, output.GeneratedSources.Length);
        Assert.Empty(output.GeneratorDiagnostics);
        Assert.Empty(output.Problems);
    }

    [Fact]
    public void TwoGraphsWhoseNamesDifferOnlyInLettersAHintNameCannotHoldGetTwoFiles()
    {
        const string Graph = """

            [BatchDag]
            public static partial class {0}
            {{
                [DagNode]
                private static IReadOnlyList<int> Parse(IReadOnlyList<string> text) => [.. text.Select(t => t.Length)];

                [DagNode(Output = true)]
                private static IReadOnlyList<int> Double(IReadOnlyList<int> parse) => [.. parse.Select(p => p * 2)];
            }}
            """;
        GeneratorOutput output = GeneratorHarness.Run(
            Usings + "using System.Linq;\n" + string.Format(Graph, "Grüße") + string.Format(Graph, "Grüsse"));

        Assert.Equal(2, output.GeneratedSources.Select(s => s.HintName).Where(h => h.Contains("BatchDag", StringComparison.Ordinal)).Distinct().Count());
        Assert.Empty(output.Problems);
    }

    [Theory]
    [InlineData("public ref partial struct Span2")]
    [InlineData("public readonly ref partial struct Span2")]
    [InlineData("public partial interface IHost { public partial class Span2")]
    [InlineData("public partial record struct Span2")]
    public void ContainersAreRedeclaredAsTheyAre(string declaration)
    {
        string closing = declaration.Contains("interface", StringComparison.Ordinal) ? "}}" : "}";
        GeneratorOutput output = GeneratorHarness.Run(Usings + declaration + """

            {
                [MicroBatched] private static IReadOnlyList<int> CountBatch(IReadOnlyList<string> texts) => new int[texts.Count];
            """ + closing);

        Assert.Single(output.GeneratedSources);
        Assert.Empty(output.Problems);
    }

    [Fact]
    public void ANameOfAnUnderscoreGetsWrappersThatCompile()
    {
        GeneratorOutput output = GeneratorHarness.Run(Usings + """
            public partial class Model
            {
                [MicroBatched(Name = "_")] private Task<IReadOnlyList<int>> ScoreBatchAsync(IReadOnlyList<string> texts) => null!;
            }
            """);

        Assert.Single(output.GeneratedSources);
        Assert.Empty(output.Problems);
    }

    [Theory]
    [InlineData("pointer results", "public unsafe partial class C { [MicroBatched] int*[] PinBatch(IReadOnlyList<int> ids) => null!; }")]
    [InlineData("function pointer results", "public unsafe partial class C { [MicroBatched] delegate*<int, int>[] FnBatch(IReadOnlyList<int> ids) => null!; }")]
    [InlineData("pointer items", "public unsafe partial class C { [MicroBatched] int[] PinBatch(int*[] ids) => null!; }")]
    [InlineData("file-local class", "file partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }")]
    [InlineData("class in a file-local class", "file partial class O { public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; } }")]
    public void ShapesNoGeneratedCodeCanReproduceGetNone(string why, string declaration)
    {
        GeneratorOutput output = GeneratorHarness.Run(Usings + declaration);

        Assert.True(output.GeneratedSources.IsEmpty, $"Code was generated for a declaration it cannot reproduce ({why}).");
        Assert.Empty(output.Problems);
    }

    // Found by the robustness sweep: a DAG input parameter typed but not yet named threw in the generator.
    [Fact]
    public void ADagNodeWhoseParameterIsNotNamedYetGetsNoCodeAndNoException()
    {
        GeneratorOutput output = GeneratorHarness.Run(Usings + """
            [BatchDag]
            public static partial class Graph
            {
                [DagNode(Output = true)]
                private static IReadOnlyList<int> Parse(IReadOnlyList<string> ) => null!;
            }
            """);

        Assert.True(output.GeneratedSources.IsEmpty);
    }
}
