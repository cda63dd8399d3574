using Basic.Reference.Assemblies;
using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace MicroBatching.Analyzers.Tests.Verifiers;

/// <summary>
/// What every analyzer and code-fix test compiles against: .NET 10 reference assemblies from Basic.Reference.Assemblies
/// (nothing is downloaded), the MicroBatching runtime, and the real generator, so wrappers are recognised as users see them.
/// </summary>
internal static class TestEnvironment
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using MicroBatching;

        """;

    private static readonly MetadataReference[] s_references =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(MicroBatcher<,>).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location),
    ];

    public static void Configure(AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = new ReferenceAssemblies(string.Empty);
        test.TestState.AdditionalReferences.AddRange(s_references);
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            Project project = solution.GetProject(projectId)!;
            var parseOptions = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Latest);
            var compilationOptions = ((CSharpCompilationOptions)project.CompilationOptions!).WithNullableContextOptions(NullableContextOptions.Enable).WithAllowUnsafe(true);
            return solution.WithProjectParseOptions(projectId, parseOptions).WithProjectCompilationOptions(projectId, compilationOptions);
        });
    }

    public static IEnumerable<Type> SourceGenerators => [typeof(MicroBatchedGenerator), typeof(BatchDagGenerator)];

    /// <summary>
    /// Runs the real generator over <paramref name="source"/> and returns its output as named sources. Code-fix tests add
    /// them as ordinary files, because the testing library's workspace does not expose generated documents to code fixes.
    /// </summary>
    public static (string Name, string Text)[] GeneratedSources(string source)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Generated",
            [CSharpSyntaxTree.ParseText(source, parseOptions)],
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriverRunResult result = CSharpGeneratorDriver.Create([new MicroBatchedGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGenerators(compilation).GetRunResult();
        return [.. result.GeneratedTrees.Select(tree => (Path.GetFileName(tree.FilePath), tree.GetText().ToString()))];
    }
}
