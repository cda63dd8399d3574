using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroBatching.Analyzers.Tests.Robustness;

/// <summary>
/// The texts the sweep runs over: the C# snippets of the repository's tests and the test files themselves that use the
/// attributes, and every prefix of them that ends at a token boundary, which is the code as it is being typed.
/// </summary>
internal static class SweepCorpus
{
    private static readonly string[] s_markers = ["[MicroBatched", "[BatchDag", "[DagNode"];

    /// <summary>The repository's root: the folder that holds Toolkit.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Every test source that uses the attributes: snippets (with the usings the tests prepend) and whole files.</summary>
    public static IReadOnlyList<SweepText> Sources()
    {
        var sources = new List<SweepText>();
        string tests = Path.Combine(RepositoryRoot, "tests");
        foreach (string path in Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
                     .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                                 !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                                 !p.Contains($"{Path.DirectorySeparatorChar}Robustness{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                     .OrderBy(p => p, StringComparer.Ordinal))
        {
            string text = File.ReadAllText(path);
            if (!s_markers.Any(m => text.Contains(m, StringComparison.Ordinal)))
            {
                continue;
            }

            string name = Path.GetRelativePath(RepositoryRoot, path);
            int index = 0;
            foreach (SyntaxToken literal in CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(IsStringLiteral))
            {
                if (s_markers.Any(m => literal.ValueText.Contains(m, StringComparison.Ordinal)))
                {
                    sources.Add(new SweepText($"{name} snippet {index++}", Verifiers.TestEnvironment.Usings + literal.ValueText));
                }
            }

            // A file that declares batch methods itself (not only in strings) is swept whole.
            if (CSharpSyntaxTree.ParseText(text).GetRoot().DescendantNodes().OfType<AttributeSyntax>()
                .Any(a => a.Name.ToString() is "MicroBatched" or "BatchDag" or "DagNode"))
            {
                sources.Add(new SweepText(name, isWholeFile: true, file: "global using System;\nglobal using System.Collections.Generic;\nglobal using System.Linq;\nglobal using System.Threading;\nglobal using System.Threading.Tasks;\n" + text));
            }
        }

        return sources;
    }

    /// <summary>
    /// The prefixes of <paramref name="source"/>'s single file that end at token boundaries, at most
    /// <paramref name="maxPerSource"/> of them, spread evenly over the text (all of them when there are fewer).
    /// </summary>
    public static IEnumerable<SweepText> Truncations(SweepText source, int maxPerSource)
    {
        string text = source.Files[0];
        int[] ends = [.. CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Select(t => t.Span.End).Distinct()];
        double stride = Math.Max(1.0, (double)ends.Length / maxPerSource);
        for (double i = 0; i < ends.Length; i += stride)
        {
            int end = ends[(int)i];
            yield return new SweepText($"{source.Name} cut at {end}", text[..end]);
        }
    }

    private static bool IsStringLiteral(SyntaxToken token) =>
        token.Kind() is SyntaxKind.StringLiteralToken or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken;

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Toolkit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Toolkit.sln not found above " + AppContext.BaseDirectory);
    }
}
