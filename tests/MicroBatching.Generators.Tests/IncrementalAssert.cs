using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroBatching.Generators.Tests;

/// <summary>What every generator run in the tests must show: caching on an unrelated edit, and models free of Roslyn objects.</summary>
internal static class IncrementalAssert
{
    private static readonly string[] s_ownSteps =
        [TrackingNames.BatchMethods, TrackingNames.ValidBatchMethods, TrackingNames.DagGraphs, TrackingNames.ValidDagGraphs];

    /// <summary>Runs the driver again after adding an unrelated file: every step of this generator must be cached or unchanged, every output cached.</summary>
    public static void CachedAfterUnrelatedEdit(GeneratorDriver driver, CSharpCompilation compilation)
    {
        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Unrelated { internal static class Edit { public const int Answer = 42; } }", GeneratorHarness.ParseOptions, path: "Unrelated.cs"));
        foreach (GeneratorRunResult result in driver.RunGenerators(edited).GetRunResult().Results)
        {
            foreach (string stepName in s_ownSteps)
            {
                AssertAllOutputs(result, stepName, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
            }

            Assert.All(result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
                output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        }
    }

    /// <summary>
    /// This generator's own steps hold no symbols, syntax, locations or compilations: they would keep old compilations
    /// alive and defeat caching. ForAttributeWithMetadataName's internal steps hold syntax by design and are not checked.
    /// </summary>
    public static void ModelsHoldNoRoslynObjects(GeneratorDriverRunResult run)
    {
        foreach (IncrementalGeneratorRunStep step in run.Results.SelectMany(result => s_ownSteps.SelectMany(name => Steps(result, name))))
        {
            foreach ((object value, _) in step.Outputs)
            {
                AssertHoldsNoRoslynObjects(value, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    public static void AssertAllOutputs(GeneratorRunResult result, string stepName, params IncrementalStepRunReason[] allowed) =>
        Assert.All(Steps(result, stepName).SelectMany(step => step.Outputs), output => Assert.Contains(output.Reason, allowed));

    private static ImmutableArray<IncrementalGeneratorRunStep> Steps(GeneratorRunResult result, string stepName) =>
        result.TrackedSteps.TryGetValue(stepName, out ImmutableArray<IncrementalGeneratorRunStep> steps) ? steps : [];

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
}
