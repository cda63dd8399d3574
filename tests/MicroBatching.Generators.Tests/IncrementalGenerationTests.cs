using System.Collections.Immutable;
using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroBatching.Generators.Tests;

public sealed class IncrementalGenerationTests
{
    private const string Models = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using MicroBatching;

        namespace App;

        public partial class Sentiment
        {
            [MicroBatched(MaxSize = 32)]
            private Task<IReadOnlyList<float>> InferBatchAsync(IReadOnlyList<string> texts, CancellationToken ct) =>
                Task.FromResult<IReadOnlyList<float>>(new float[texts.Count]);

            private int Length(string text) => text.Length;
        }
        """;

    private const string Users = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using MicroBatching;

        namespace App;

        public partial class Users
        {
            [MicroBatched(MaxSize = 100)]
            private Task<IReadOnlyList<string>> NameBatchAsync(IReadOnlyList<int> ids, CancellationToken ct) =>
                Task.FromResult<IReadOnlyList<string>>(new string[ids.Count]);
        }
        """;

    [Fact]
    public void AnUnrelatedEditLeavesEveryStepCachedOrUnchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Models, Users);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace App; internal static class Unrelated { public const int Answer = 42; }", GeneratorHarness.ParseOptions));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results[0];

        IncrementalAssert.AssertAllOutputs(result, TrackingNames.BatchMethods, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        IncrementalAssert.AssertAllOutputs(result, TrackingNames.ValidBatchMethods, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.All(result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void AnEditInsideABatchMethodBodyDoesNotChangeItsModel()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Models, Users);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = Replace(compilation, "Source0.cs", Models.Replace("new float[texts.Count]", "new float[texts.Count + 0]"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results[0];

        IncrementalAssert.AssertAllOutputs(result, TrackingNames.ValidBatchMethods, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void ChangingMaxSizeRegeneratesOnlyThatMethod()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Models, Users);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        ImmutableArray<GeneratedSourceResult> before = driver.GetRunResult().Results[0].GeneratedSources;

        CSharpCompilation edited = Replace(compilation, "Source0.cs", Models.Replace("MaxSize = 32", "MaxSize = 64"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results[0];

        var reasons = result.TrackedSteps[TrackingNames.ValidBatchMethods]
            .SelectMany(step => step.Outputs)
            .Select(output => (Method: ((dynamic)output.Value).BatchMethodName as string, output.Reason))
            .ToDictionary(o => o.Method!, o => o.Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, reasons["InferBatchAsync"]);
        Assert.Contains(reasons["NameBatchAsync"], new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });

        Dictionary<string, string> beforeText = before.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Dictionary<string, string> afterText = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        string changed = Assert.Single(afterText.Keys, hint => afterText[hint] != beforeText[hint]);
        Assert.Contains("InferBatchAsync", changed, StringComparison.Ordinal);
        Assert.Contains("MaxBatchSize = 64,", afterText[changed], StringComparison.Ordinal);
    }

    // A field left out of the model's equality would keep the old code after an edit of just that argument in the IDE.
    [Theory]
    [InlineData("[MicroBatched(MaxSize = 32)]", "[MicroBatched(MaxSize = 33)]")]
    [InlineData("[MicroBatched(MaxSize = 32)]", "[MicroBatched(MaxSize = 32, MaxWaitMs = 11)]")]
    [InlineData("[MicroBatched(MaxSize = 32)]", "[MicroBatched(MaxSize = 32, MaxConcurrency = 2)]")]
    [InlineData("[MicroBatched(MaxSize = 32)]", "[MicroBatched(MaxSize = 32, Name = \"ScoreAsync\")]")]
    [InlineData("[MicroBatched(MaxSize = 32)]", "[MicroBatched(MaxSize = 32, DispatchMode = BatchDispatchMode.Adaptive)]")]
    [InlineData("[MicroBatched(MaxSize = 32)]", "[MicroBatched(MaxSize = 32, QueueCapacity = 8)]")]
    [InlineData("[MicroBatched(MaxSize = 32)]", "[MicroBatched(MaxSize = 32, QueueFullMode = QueueFullMode.Reject)]")]
    [InlineData("[MicroBatched(MaxSize = 32)]", "[MicroBatched(MaxSize = 32, MaxCost = 100)]")]
    [InlineData("[MicroBatched(MaxSize = 32)]", "[MicroBatched(MaxSize = 32, CostMethod = nameof(Length))]")]
    [InlineData("IReadOnlyList<string> texts, CancellationToken ct", "IReadOnlyList<string> texts")]
    [InlineData("private Task<IReadOnlyList<float>>", "private ValueTask<IReadOnlyList<float>>")]
    public void EditingAnyPartOfTheDeclarationChangesTheGeneratedCode(string before, string after)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Models);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        string beforeText = driver.GetRunResult().GeneratedTrees.Single().ToString();

        string edited = Models.Replace(before, after).Replace("Task.FromResult<IReadOnlyList<float>>(new float[texts.Count])",
            after.StartsWith("private ValueTask", StringComparison.Ordinal) ? "new(new float[texts.Count])" : "Task.FromResult<IReadOnlyList<float>>(new float[texts.Count])");
        Assert.NotEqual(Models, edited);
        GeneratorRunResult result = driver.RunGenerators(Replace(compilation, "Source0.cs", edited)).GetRunResult().Results[0];

        Assert.NotEqual(beforeText, result.GeneratedSources.Single().SourceText.ToString());
    }

    // The edits above must cover every setting, so a setting that a model's equality leaves out is caught as it is added.
    [Fact]
    public void EverySettingOfTheAttributeHasAnEditCase()
    {
        IEnumerable<string> edited = typeof(IncrementalGenerationTests)
            .GetMethod(nameof(EditingAnyPartOfTheDeclarationChangesTheGeneratedCode))!
            .GetCustomAttributes(typeof(InlineDataAttribute), inherit: false)
            .Cast<InlineDataAttribute>()
            .Select(data => (string)data.GetData(null!).Single()[1]);

        foreach (System.Reflection.PropertyInfo setting in typeof(MicroBatchedAttribute).GetProperties().Where(p => p.CanWrite))
        {
            Assert.Contains(edited, after => after.Contains(setting.Name + " =", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ModelsHoldNoSymbolsSyntaxLocationsOrCompilations() =>
        IncrementalAssert.ModelsHoldNoRoslynObjects(GeneratorHarness.CreateDriver()
            .RunGenerators(GeneratorHarness.CreateCompilation([.. AcceptedShapes.All.Values]))
            .GetRunResult());

    private static CSharpCompilation Replace(CSharpCompilation compilation, string path, string source)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path));
    }
}
