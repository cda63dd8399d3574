using System.Collections.Concurrent;
using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace MicroBatching.Analyzers.Tests.Robustness;

/// <summary>
/// Runs every generator, analyzer and code fix over one text and reports what went wrong: a generator that threw
/// (CS8785 for users), an analyzer that threw (AD0001), a code fix that threw, or generated code that added a compiler
/// error to code that had none.
/// </summary>
internal static class RobustnessSweep
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions s_compilationOptions =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true);

    private static readonly MetadataReference[] s_references =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(MicroBatcher<,>).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location),
    ];

    private static readonly ImmutableHashSet<string> s_fixableIds =
        [.. RoslynComponents.CodeFixes.SelectMany(fix => fix.FixableDiagnosticIds)];

    /// <summary>The problems found in <paramref name="texts"/> (each a whole compilation of one or more files), described.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IEnumerable<SweepText> texts, CancellationToken cancellationToken = default)
    {
        var problems = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(texts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (text, token) =>
            {
                foreach (string problem in await CheckAsync(text, token))
                {
                    problems.Enqueue($"{text.Name}: {problem}");
                }
            });
        return [.. problems];
    }

    public static async Task<IReadOnlyList<string>> CheckAsync(SweepText text, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        SyntaxTree[] trees = [.. text.Files.Select((file, i) => CSharpSyntaxTree.ParseText(file, s_parseOptions, path: $"File{i}.cs", cancellationToken: cancellationToken))];
        CSharpCompilation compilation = CSharpCompilation.Create("Sweep", trees, s_references, s_compilationOptions);

        GeneratorDriver driver = CSharpGeneratorDriver.Create(RoslynComponents.Generators, parseOptions: s_parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out _, cancellationToken);
        foreach (GeneratorRunResult result in driver.GetRunResult().Results.Where(r => r.Exception is not null))
        {
            problems.Add($"generator {result.Generator.GetGeneratorType().Name} threw {result.Exception}");
        }

        if (!compilation.GetDiagnostics(cancellationToken).Any(IsError) &&
            generated.GetDiagnostics(cancellationToken).FirstOrDefault(IsError) is { } added)
        {
            problems.Add($"generated code added an error to code that compiles: {added}");
        }

        var analyzerExceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            (exception, analyzer, _) => analyzerExceptions.Enqueue($"analyzer {analyzer.GetType().Name} threw {exception}"),
            concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> diagnostics = await generated.WithAnalyzers(RoslynComponents.Analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken);
        problems.AddRange(analyzerExceptions);
        problems.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString()));

        if (diagnostics.Any(d => s_fixableIds.Contains(d.Id)))
        {
            problems.AddRange(await CheckCodeFixesAsync(generated, cancellationToken));
        }

        return problems;
    }

    // Code fixes need a workspace: every file, the generated ones included, becomes a document, and the diagnostics are
    // computed again on that project's compilation so their locations belong to its documents.
    private static async Task<IEnumerable<string>> CheckCodeFixesAsync(Compilation generated, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        using var workspace = new AdhocWorkspace();
        Project project = workspace.CurrentSolution
            .AddProject("Sweep", "Sweep", LanguageNames.CSharp)
            .WithParseOptions(s_parseOptions)
            .WithCompilationOptions(s_compilationOptions)
            .AddMetadataReferences(s_references);
        foreach (SyntaxTree tree in generated.SyntaxTrees)
        {
            project = project.AddDocument(Path.GetFileName(tree.FilePath), await tree.GetTextAsync(cancellationToken)).Project;
        }

        Compilation compilation = (await project.GetCompilationAsync(cancellationToken))!;
        ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers(RoslynComponents.Analyzers).GetAnalyzerDiagnosticsAsync(cancellationToken);
        foreach (Diagnostic diagnostic in diagnostics.Where(d => s_fixableIds.Contains(d.Id) && d.Location.IsInSource))
        {
            if (project.GetDocument(diagnostic.Location.SourceTree) is not { } document)
            {
                continue;
            }

            foreach (CodeFixProvider fix in RoslynComponents.CodeFixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                try
                {
                    await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken));
                    foreach (CodeAction action in actions)
                    {
                        await action.GetOperationsAsync(cancellationToken);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    problems.Add($"code fix {fix.GetType().Name} threw on {diagnostic.Id} at {diagnostic.Location.GetLineSpan()}: {exception}");
                }
            }
        }

        return problems;
    }

    private static bool IsError(Diagnostic diagnostic) => diagnostic.Severity == DiagnosticSeverity.Error;
}

/// <summary>One compilation to sweep: a name for reports, its files, and whether it is a whole test file (not a snippet).</summary>
internal sealed record SweepText(string Name, IReadOnlyList<string> Files, bool IsWholeFile = false)
{
    public SweepText(string name, string file, bool isWholeFile = false) : this(name, [file], isWholeFile)
    {
    }
}
