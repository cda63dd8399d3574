using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace MicroBatching.Analyzers.Tests.Verifiers;

/// <summary>Checks that <typeparamref name="TCodeFix"/> turns the marked source into the fixed source, which must compile.</summary>
internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <param name="iterations">Fixes applied one at a time until the source is fixed.</param>
    /// <param name="fixAllIterations">Fix All runs until the source is fixed; one, where Fix All handles every diagnostic at once.</param>
    public static Task VerifyAsync(string source, string fixedSource, int iterations = 1, int fixAllIterations = 1)
    {
        var test = new Test
        {
            TestCode = TestEnvironment.Usings + source,
            FixedCode = TestEnvironment.Usings + fixedSource,
            NumberOfFixAllIterations = fixAllIterations,
            NumberOfIncrementalIterations = iterations,
        };
        test.AddGeneratedSources(source);
        return test.RunAsync();
    }

    /// <summary>Verifies that the marked diagnostics are reported but no fix is offered.</summary>
    public static Task VerifyNoFixAsync(string source)
    {
        var test = new Test { TestCode = TestEnvironment.Usings + source, FixedCode = TestEnvironment.Usings + source };
        test.AddGeneratedSources(source);
        return test.RunAsync();
    }

    private sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            TestEnvironment.Configure(this);
            CompilerDiagnostics = CompilerDiagnostics.Errors;
        }

        // The generated wrappers of the unmarked source, identical before and after the fix.
        public void AddGeneratedSources(string source)
        {
            string unmarked = System.Text.RegularExpressions.Regex.Replace(TestEnvironment.Usings + source, @"\{\|[^:]+:|\|\}", "");
            foreach ((string name, string text) in TestEnvironment.GeneratedSources(unmarked))
            {
                TestState.Sources.Add((name, text));
                FixedState.Sources.Add((name, text));
            }
        }
    }
}
