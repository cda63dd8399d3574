using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace MicroBatching.Analyzers.Tests.Verifiers;

/// <summary>Checks that <typeparamref name="TAnalyzer"/> reports exactly the marked diagnostics, and nothing else.</summary>
internal static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    /// <summary>Verifies <paramref name="source"/> (with the common usings prepended); <c>{|MBAT001:…|}</c> marks expected spans.</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = TestEnvironment.Usings + source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Verifies several files of one compilation, each with the common usings prepended.</summary>
    public static Task VerifyFilesAsync(string[] sources, params DiagnosticResult[] expected)
    {
        var test = new Test();
        foreach (string source in sources)
        {
            test.TestState.Sources.Add(TestEnvironment.Usings + source);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            TestEnvironment.Configure(this);

            // Only this analyzer's rules are checked; compiler warnings in test snippets are not the point.
            CompilerDiagnostics = CompilerDiagnostics.Errors;
        }

        protected override IEnumerable<Type> GetSourceGenerators() => TestEnvironment.SourceGenerators;
    }
}
