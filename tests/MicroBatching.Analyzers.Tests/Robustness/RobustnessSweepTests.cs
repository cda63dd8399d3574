using System.Diagnostics;
using Xunit.Abstractions;

namespace MicroBatching.Analyzers.Tests.Robustness;

/// <summary>
/// No generator, analyzer or code fix may throw on any code, half-typed code included, and generated code may never add
/// an error to code that compiles. Every token-boundary prefix of every snippet is swept, and 150 spread over each whole
/// test file (thousands of tokens each); <c>MICROBATCHING_SWEEP=full</c> sweeps every prefix of the files too, and
/// <c>MICROBATCHING_SWEEP=sample</c> 12 per source, for quick runs.
/// </summary>
public sealed class RobustnessSweepTests(ITestOutputHelper output)
{
    private static readonly string? s_mode = Environment.GetEnvironmentVariable("MICROBATCHING_SWEEP");

    [Fact]
    public void TheCorpusFindsTheTestSnippetsAndFiles()
    {
        IReadOnlyList<SweepText> sources = SweepCorpus.Sources();

        Assert.True(sources.Count >= 150, $"Only {sources.Count} sources found.");
        Assert.Contains(sources, s => s.Name.EndsWith("SentimentModel.cs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NothingThrowsOnTheTestSourcesAsTheyAreTyped()
    {
        IReadOnlyList<SweepText> sources = SweepCorpus.Sources();
        SweepText[] texts = [.. sources, .. sources.SelectMany(s => SweepCorpus.Truncations(s, PrefixesPer(s)))];

        var watch = Stopwatch.StartNew();
        IReadOnlyList<string> problems = await RobustnessSweep.RunAsync(texts);
        output.WriteLine($"{texts.Length} texts from {sources.Count} sources in {watch.Elapsed.TotalSeconds:0.0} s");

        Assert.True(problems.Count == 0, string.Join("\n\n", problems.Take(5)) + $"\n\n{problems.Count} problems in all.");
    }

    private static int PrefixesPer(SweepText source) => s_mode switch
    {
        "sample" => 12,
        "full" => int.MaxValue,
        _ => source.IsWholeFile ? 150 : int.MaxValue,
    };

    [Theory]
    [MemberData(nameof(MalformedDeclarations.Cases), MemberType = typeof(MalformedDeclarations))]
    public async Task NothingThrowsOnMalformedDeclarations(string name)
    {
        IReadOnlyList<string> problems = await RobustnessSweep.CheckAsync(MalformedDeclarations.All[name], CancellationToken.None);

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }
}
