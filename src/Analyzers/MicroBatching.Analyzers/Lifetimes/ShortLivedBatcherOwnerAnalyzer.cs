using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace MicroBatching.Analyzers.Lifetimes;

/// <summary>
/// MBAT202: a type with instance <c>[MicroBatched]</c> methods (or <c>[DagNode]</c>s) registered in an <c>IServiceCollection</c> as transient or
/// scoped (<c>AddTransient</c>, <c>AddScoped</c>, <c>TryAddTransient</c>, <c>TryAddScoped</c>, in the generic and
/// <c>typeof</c> forms, or as a typed <c>AddHttpClient</c>). Batching is per instance, so such a registration gives every
/// resolution a batcher of its own and batches nothing.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ShortLivedBatcherOwnerAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property naming the registration method, so the code fix knows what to replace it with.</summary>
    public const string MethodProperty = "Method";

    private const string DependencyInjection = "Microsoft.Extensions.DependencyInjection";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ShortLivedBatcherOwner);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterForMicroBatchingCompilations(
            (start, known) => start.RegisterOperationAction(operation => AnalyzeInvocation(operation, known), OperationKind.Invocation));
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownSymbols known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        string? lifetime = method.Name switch
        {
            "AddTransient" or "TryAddTransient" => "transient",
            "AddScoped" or "TryAddScoped" => "scoped",
            "AddHttpClient" when method.IsGenericMethod => "a typed HTTP client (transient)",
            _ => null,
        };
        if (lifetime is null ||
            !(InNamespace(method.ContainingType, DependencyInjection) || InNamespace(method.ContainingType, DependencyInjection + ".Extensions")) ||
            RegisteredType(invocation) is not { } type || !HasInstanceBatchMethods(type, known))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.ShortLivedBatcherOwner,
            invocation.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(MethodProperty, method.Name),
            type.Name,
            lifetime));
    }

    // The implementation type: the last type argument of a generic form, or the last typeof argument.
    private static ITypeSymbol? RegisteredType(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.IsGenericMethod)
        {
            return invocation.TargetMethod.TypeArguments.LastOrDefault();
        }

        return invocation.Arguments
            .Select(argument => argument.Value.WithoutConversions())
            .OfType<ITypeOfOperation>()
            .LastOrDefault()?.TypeOperand;
    }

    private static bool HasInstanceBatchMethods(ITypeSymbol type, KnownSymbols known)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            // [MicroBatched] methods and [DagNode]s alike: both get their batchers per instance.
            if (current.GetMembers().OfType<IMethodSymbol>().Any(m => !m.IsStatic && known.IsBatchMethod(m)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InNamespace(INamedTypeSymbol? type, string expected) => TypeNameMatcher.IsNamespace(type?.ContainingNamespace, expected);
}
