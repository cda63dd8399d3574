using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroBatching.Analyzers.Support;

internal static class AnalysisContextExtensions
{
    /// <summary>
    /// Registers <paramref name="register"/> only in compilations that reference MicroBatching, with its symbols resolved
    /// once per compilation; other compilations cost nothing.
    /// </summary>
    public static void RegisterForMicroBatchingCompilations(
        this AnalysisContext context, Action<CompilationStartAnalysisContext, KnownSymbols> register)
    {
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.Create(start.Compilation) is { } known)
            {
                register(start, known);
            }
        });
    }
}
