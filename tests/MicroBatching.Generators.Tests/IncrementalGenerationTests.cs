using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
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
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllOutputs(result, TrackingNames.BatchMethods, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAllOutputs(result, TrackingNames.ValidBatchMethods, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.All(result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void AnEditInsideABatchMethodBodyDoesNotChangeItsModel()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Models, Users);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = Replace(compilation, "Source0.cs", Models.Replace("new float[texts.Count]", "new float[texts.Count + 0]"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllOutputs(result, TrackingNames.ValidBatchMethods, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void ChangingMaxSizeRegeneratesOnlyThatMethod()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Models, Users);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        ImmutableArray<GeneratedSourceResult> before = driver.GetRunResult().Results.Single().GeneratedSources;

        CSharpCompilation edited = Replace(compilation, "Source0.cs", Models.Replace("MaxSize = 32", "MaxSize = 64"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

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

    [Fact]
    public void ModelsHoldNoSymbolsSyntaxLocationsOrCompilations()
    {
        GeneratorRunResult result = GeneratorHarness.CreateDriver()
            .RunGenerators(GeneratorHarness.CreateCompilation([.. AcceptedShapes.All.Values]))
            .GetRunResult().Results.Single();

        // Only this generator's own steps: ForAttributeWithMetadataName's internal steps hold syntax by design.
        foreach (IncrementalGeneratorRunStep step in new[] { TrackingNames.BatchMethods, TrackingNames.ValidBatchMethods }.SelectMany(name => result.TrackedSteps[name]))
        {
            foreach ((object value, _) in step.Outputs)
            {
                AssertHoldsNoRoslynObjects(value, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void AssertHoldsNoRoslynObjects(object? value, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Location or Compilation or SemanticModel or SyntaxTree,
            $"A pipeline model holds a {value.GetType().Name}, which keeps compilations alive and defeats caching.");
        if (value is IEnumerable sequence)
        {
            foreach (object? item in sequence)
            {
                AssertHoldsNoRoslynObjects(item, visited);
            }

            return;
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertHoldsNoRoslynObjects(field.GetValue(value), visited);
        }
    }

    private static void AssertAllOutputs(GeneratorRunResult result, string stepName, params IncrementalStepRunReason[] allowed)
    {
        ImmutableArray<IncrementalGeneratorRunStep> steps = result.TrackedSteps[stepName];
        Assert.NotEmpty(steps);
        Assert.All(steps.SelectMany(step => step.Outputs), output => Assert.Contains(output.Reason, allowed));
    }

    private static CSharpCompilation Replace(CSharpCompilation compilation, string path, string source)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path));
    }
}
