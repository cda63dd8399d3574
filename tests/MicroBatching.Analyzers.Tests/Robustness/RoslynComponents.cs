using System.Collections.Immutable;
using System.Reflection;
using MicroBatching.Analyzers.CodeFixes;
using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroBatching.Analyzers.Tests.Robustness;

/// <summary>Every generator, analyzer and code fix the toolkit ships, found by reflection so that a new one is swept too.</summary>
internal static class RoslynComponents
{
    public static ImmutableArray<ISourceGenerator> Generators { get; } =
        [new MicroBatchedGenerator().AsSourceGenerator(), new BatchDagGenerator().AsSourceGenerator()];

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = [.. Create<DiagnosticAnalyzer>(typeof(DiagnosticDescriptors).Assembly, typeof(DiagnosticAnalyzerAttribute))];

    public static ImmutableArray<CodeFixProvider> CodeFixes { get; } = [.. Create<CodeFixProvider>(typeof(MakeTypePartialCodeFixProvider).Assembly, typeof(ExportCodeFixProviderAttribute))];

    private static IEnumerable<T> Create<T>(Assembly assembly, Type marker) => assembly.GetTypes()
        .Where(type => typeof(T).IsAssignableFrom(type) && !type.IsAbstract && type.IsDefined(marker, inherit: false))
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .Select(type => (T)Activator.CreateInstance(type)!);
}
