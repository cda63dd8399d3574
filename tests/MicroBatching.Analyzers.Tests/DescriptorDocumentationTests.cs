using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroBatching.Analyzers.Tests;

/// <summary>Every rule is documented and tracked, and every analyzer reports only tracked rules.</summary>
public sealed class DescriptorDocumentationTests
{
    private static readonly string s_repositoryRoot = FindRepositoryRoot();

    public static TheoryData<string> Descriptors =>
        [.. AllDescriptors().Select(d => d.Id)];

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void EachRuleHasADocsPageLinkedFromItsDescriptor(string id)
    {
        DiagnosticDescriptor descriptor = AllDescriptors().Single(d => d.Id == id);
        string page = Path.Combine(s_repositoryRoot, "docs", "diagnostics", id + ".md");

        Assert.True(File.Exists(page), $"docs/diagnostics/{id}.md is missing.");
        string text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}", text, StringComparison.Ordinal);
        foreach (string section in new[] { "## Why", "## Wrong", "## Right", "## Suppress" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }

        Assert.EndsWith($"docs/diagnostics/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void EachRuleIsTrackedInTheReleaseFiles(string id)
    {
        DiagnosticDescriptor descriptor = AllDescriptors().Single(d => d.Id == id);
        string analyzerDirectory = Path.Combine(s_repositoryRoot, "src", "Analyzers", "MicroBatching.Analyzers");
        string tracked = File.ReadAllText(Path.Combine(analyzerDirectory, "AnalyzerReleases.Shipped.md")) +
                         File.ReadAllText(Path.Combine(analyzerDirectory, "AnalyzerReleases.Unshipped.md"));

        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", tracked, StringComparison.Ordinal);
    }

    [Fact]
    public void AnalyzersReportOnlyKnownRules()
    {
        string[] known = [.. AllDescriptors().Select(d => d.Id)];
        DiagnosticAnalyzer[] analyzers = [.. typeof(DiagnosticDescriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

        Assert.Equal(7, analyzers.Length);
        Assert.Equal(known.Order(), analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Order());
    }

    private static IEnumerable<DiagnosticDescriptor> AllDescriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Toolkit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Toolkit.sln not found above the test directory.");
    }
}
