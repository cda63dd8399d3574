using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroBatching.Generators.Tests;

/// <summary>
/// Every <c>```csharp</c> block of a covered document compiles, with the generators, against the runtime and hosting
/// libraries. A block may declare types, class members and statements; <c>=&gt; ...;</c> stands for an elided body.
/// What a block names but does not declare comes from the document's context file in <c>DocumentationContexts/</c>.
/// </summary>
public sealed partial class DocumentationBlockTests
{
    private static readonly string s_root = typeof(DocumentationBlockTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "RepositoryRoot").Value!;

    // The usings of an SDK project with implicit usings, plus the namespaces the documentation's blocks take as imported.
    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using MicroBatching;
        global using Microsoft.Extensions.DependencyInjection;
        """;

    // ASP.NET Core's shared framework: the OpenTelemetry packages reference it, so it also holds the Microsoft.Extensions
    // libraries that would otherwise be copied to the test's output.
    private static readonly string s_aspNetCore = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.Location)!;

    private static readonly ImmutableArray<MetadataReference> s_references =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(MicroBatcher<,>).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.MicroBatchingServiceCollectionExtensions).Assembly.Location),
        .. Libraries([AppContext.BaseDirectory, s_aspNetCore], "Microsoft.Extensions.*.dll")
            // The diagnostics pages' context declares its own HttpClient factory, as a sample of user code.
            .Where(path => !Path.GetFileName(path).StartsWith("Microsoft.Extensions.Http", StringComparison.Ordinal))
            .Select(path => MetadataReference.CreateFromFile(path)),
    ];

    // The documents about running a service also compile against ASP.NET Core and OpenTelemetry.
    private static readonly ImmutableArray<MetadataReference> s_serviceReferences =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(MicroBatcher<,>).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.MicroBatchingServiceCollectionExtensions).Assembly.Location),
        .. Libraries([AppContext.BaseDirectory, s_aspNetCore], "Microsoft.Extensions.*.dll").Select(path => MetadataReference.CreateFromFile(path)),
        .. Directory.GetFiles(s_aspNetCore, "Microsoft.AspNetCore*.dll").Select(path => MetadataReference.CreateFromFile(path)),
        .. Directory.GetFiles(AppContext.BaseDirectory, "OpenTelemetry*.dll").Select(path => MetadataReference.CreateFromFile(path)),
    ];

    private static readonly HashSet<string> s_serviceDocuments = ["docs/operations.md"];

    // One file per assembly name, from the first directory that has it.
    private static IEnumerable<string> Libraries(string[] directories, string pattern) =>
        directories.SelectMany(directory => Directory.GetFiles(directory, pattern)).DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase);

    private static readonly TheoryData<string, string> s_documentsAndContexts = new()
    {
        { "README.md", "README.md.cs" },
        { "docs/dag.md", "dag.md.cs" },
        { "src/Runtime/MicroBatching.Hosting/README.md", "hosting-README.md.cs" },
        { "docs/operations.md", "operations.md.cs" },
    };

    public static TheoryData<string, string> Documents => s_documentsAndContexts;

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryCSharpBlockCompilesWithTheOthersOfItsDocument(string document, string contextFile)
    {
        IReadOnlyList<CodeBlock> blocks = ReadCSharpBlocks(document);
        Assert.NotEmpty(blocks);

        string[] errors = CompileErrors(document, ReadContext(contextFile), blocks);
        Assert.True(errors.Length == 0, $"{document} has C# blocks that do not compile:\n{string.Join("\n", errors)}");
    }

    public static TheoryData<string> DiagnosticPages =>
        [.. Directory.GetFiles(Path.Combine(s_root, "docs/diagnostics"), "*.md").Select(path => "docs/diagnostics/" + Path.GetFileName(path)).Order()];

    /// <summary>A diagnostic's page shows examples that stand alone, often the same type before and after the fix.</summary>
    [Theory]
    [MemberData(nameof(DiagnosticPages))]
    public void EveryCSharpBlockOfADiagnosticPageCompilesOnItsOwn(string document)
    {
        IReadOnlyList<CodeBlock> blocks = ReadCSharpBlocks(document);
        Assert.NotEmpty(blocks);

        string context = ReadContext("diagnostics.cs");
        string[] errors = [.. blocks.SelectMany(block => CompileErrors(document, context, [block]))];
        Assert.True(errors.Length == 0, $"{document} has C# blocks that do not compile:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void EveryDocumentWithCSharpBlocksIsChecked()
    {
        HashSet<string> checkedDocuments = [.. FirstColumn(s_documentsAndContexts), .. FirstColumn(DiagnosticPages)];
        string[] documents = [.. MarkdownFiles(s_root)
            .Where(path => ParseCSharpBlocks(File.ReadAllText(path).ReplaceLineEndings("\n")).Count > 0)
            .Select(path => Path.GetRelativePath(s_root, path).Replace('\\', '/'))];

        Assert.NotEmpty(documents);
        Assert.All(documents, document => Assert.Contains(document, checkedDocuments));
    }

    private static IEnumerable<string> FirstColumn(IEnumerable<object[]> rows) => rows.Select(row => (string)row[0]);

    private static IEnumerable<string> MarkdownFiles(string directory) =>
        Directory.GetFiles(directory, "*.md").Concat(Directory.GetDirectories(directory)
            .Where(child => Path.GetFileName(child) is not ("bin" or "obj" or "TestResults") && !Path.GetFileName(child).StartsWith('.'))
            .SelectMany(MarkdownFiles));

    [Fact]
    public void ABrokenBlockIsReportedAtItsLineInTheDocument()
    {
        CodeBlock block = ParseCSharpBlocks("intro\n\n```csharp\nint answer = 42;\nstring wrong = answer;\n```\n").Single();

        string error = Assert.Single(CompileErrors("intro.md", "public abstract class DocumentationContext;", [block]));
        Assert.StartsWith("intro.md(5,16): CS0029", error, StringComparison.Ordinal);
    }

    private static string ReadContext(string contextFile) =>
        File.ReadAllText(Path.Combine(s_root, "tests/MicroBatching.Generators.Tests/DocumentationContexts", contextFile));

    private static string[] CompileErrors(string document, string context, IReadOnlyList<CodeBlock> blocks)
    {
        List<SyntaxTree> trees =
        [
            CSharpSyntaxTree.ParseText(GlobalUsings, GeneratorHarness.ParseOptions, path: "GlobalUsings.cs"),
            CSharpSyntaxTree.ParseText(context, GeneratorHarness.ParseOptions, path: "Context.cs"),
            .. blocks.Select((block, index) => CSharpSyntaxTree.ParseText(Wrap(block, index, document), GeneratorHarness.ParseOptions, path: $"Block{index + 1}.cs")),
        ];

        var compilation = CSharpCompilation.Create("Documentation", trees, s_serviceDocuments.Contains(document) ? s_serviceReferences : s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);

        return [.. output.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).Select(Describe)];
    }

    private static string Describe(Diagnostic diagnostic)
    {
        FileLinePositionSpan span = diagnostic.Location.GetMappedLineSpan();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {diagnostic.Id} {diagnostic.GetMessage()}";
    }

    /// <summary>
    /// Places a block's type declarations at namespace level, its member declarations in a partial class and its
    /// statements in an async method of a class deriving from the document's context, each mapped to its document line.
    /// </summary>
    private static string Wrap(CodeBlock block, int index, string document)
    {
        string code = ElidedBody().Replace(block.Code, "=> throw null!;");
        var unit = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, GeneratorHarness.ParseOptions).GetRoot();

        var types = new StringBuilder();
        var members = new StringBuilder();
        var statements = new StringBuilder();
        foreach (MemberDeclarationSyntax member in unit.Members)
        {
            StringBuilder target = member switch
            {
                GlobalStatementSyntax { Statement: var statement } when !DeclaresAMember(statement) => statements,
                BaseTypeDeclarationSyntax or DelegateDeclarationSyntax => types,
                _ => members,
            };
            int line = block.FirstLine + member.GetLocation().GetLineSpan().StartLinePosition.Line;
            target.Append("#line ").Append(line + 1).Append(" \"").Append(document).Append("\"\n")
                .Append(member.ToString()).Append("\n#line default\n");
        }

        return $$"""
            {{types}}
            public sealed partial class DocumentationMembers{{index + 1}} : DocumentationContext
            {
            {{members}}
            }

            public abstract class DocumentationStatements{{index + 1}} : DocumentationContext
            {
                public async Task RunAsync()
                {
            {{statements}}
                    await Task.CompletedTask;
                }
            }
            """;
    }

    // At top level, "private int Size() => 1;" parses as a local function with a modifier no local function may have.
    private static bool DeclaresAMember(StatementSyntax statement) =>
        statement switch
        {
            LocalFunctionStatementSyntax function => function.Modifiers.Any(IsAccessibility),
            LocalDeclarationStatementSyntax declaration => declaration.Modifiers.Any(IsAccessibility),
            _ => false,
        };

    private static bool IsAccessibility(SyntaxToken modifier) =>
        modifier.Kind() is SyntaxKind.PublicKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.ProtectedKeyword or SyntaxKind.InternalKeyword;

    private static IReadOnlyList<CodeBlock> ReadCSharpBlocks(string document) =>
        ParseCSharpBlocks(File.ReadAllText(Path.Combine(s_root, document)).ReplaceLineEndings("\n"));

    private static IReadOnlyList<CodeBlock> ParseCSharpBlocks(string text) =>
        [.. CSharpBlock().Matches(text).Select(match =>
            new CodeBlock(match.Groups["code"].Value, text.AsSpan(0, match.Groups["code"].Index).Count('\n')))];

    /// <param name="Code">The block's text.</param>
    /// <param name="FirstLine">The zero-based line of the document on which the block's text starts.</param>
    private sealed record CodeBlock(string Code, int FirstLine);

    [GeneratedRegex("^```csharp\\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"=>\s*\.\.\.;")]
    private static partial Regex ElidedBody();
}
