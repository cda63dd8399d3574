using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroBatching.Generators.Tests;

/// <summary>Runs the generator over in-memory sources compiled against .NET 10 reference assemblies and the runtime library.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly ImmutableArray<MetadataReference> s_references =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(MicroBatcher<,>).Assembly.Location),
    ];

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new MicroBatchedGenerator().AsSourceGenerator(), new BatchDagGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>
    /// Runs the generator and returns its output together with the compilation that includes it. Every run also checks
    /// that no generator threw, that the pipeline's models hold no Roslyn objects and that a second run after an
    /// unrelated edit is fully cached.
    /// </summary>
    public static GeneratorOutput Run(params string[] sources)
    {
        CSharpCompilation compilation = CreateCompilation(sources);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult runResult = driver.GetRunResult();
        Assert.All(runResult.Results, result => Assert.Null(result.Exception));
        IncrementalAssert.ModelsHoldNoRoslynObjects(runResult);
        IncrementalAssert.CachedAfterUnrelatedEdit(driver, compilation);
        return new GeneratorOutput(runResult, output, generatorDiagnostics);
    }
}

internal sealed record GeneratorOutput(GeneratorDriverRunResult RunResult, Compilation Compilation, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public ImmutableArray<GeneratedSourceResult> GeneratedSources => [.. RunResult.Results.SelectMany(result => result.GeneratedSources)];

    /// <summary>Errors anywhere, and any warning in generated code (the consumer may treat warnings as errors).</summary>
    public IEnumerable<Diagnostic> Problems =>
        Compilation.GetDiagnostics().Where(d =>
            d.Severity == DiagnosticSeverity.Error ||
            (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true));
}
