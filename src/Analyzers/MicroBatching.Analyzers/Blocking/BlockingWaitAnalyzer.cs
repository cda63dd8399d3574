using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace MicroBatching.Analyzers.Blocking;

/// <summary>
/// MBAT103: a synchronous wait on the task of a generated wrapper, anywhere. MBAT102: any other blocking call inside a
/// batch method, its lambdas and its local functions. A wait on a task already known to be complete is not blocking.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingWaitAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.BlockingCallInBatchMethod, DiagnosticDescriptors.BlockingWaitOnWrapper);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterForMicroBatchingCompilations((start, known) => start.RegisterSemanticModelAction(model => AnalyzeFile(model, known)));
    }

    // One syntax walk per file costs far less than a callback per member access; only a member named like a wait is
    // bound, every other access and call is rejected on syntax alone.
    private static void AnalyzeFile(SemanticModelAnalysisContext context, KnownSymbols known)
    {
        foreach (SyntaxNode node in context.SemanticModel.SyntaxTree.GetRoot(context.CancellationToken).DescendantNodes())
        {
            if (BlockingCandidate(node) is { } candidate &&
                context.SemanticModel.GetOperation(candidate, context.CancellationToken) is { } operation &&
                BlockingWait.TryCreate(operation, known) is { } wait)
            {
                AnalyzeWait(context, wait, known);
            }
        }
    }

    private static void AnalyzeWait(SemanticModelAnalysisContext context, BlockingWait wait, KnownSymbols known)
    {
        IOperation operation = wait.Operation;

        // The rest is rare: only for an actual wait does it look at the whole body the operation belongs to.
        ImmutableArray<IOperation> body = ImmutableArray.Create(Root(operation));
        if (new CompletedTaskEvidence(body).IsKnownComplete(wait))
        {
            return;
        }

        var wrappers = new WrapperTasks(known, body);
        IMethodSymbol? wrapper = wait.Task is not null
            ? wrappers.WrapperOf(wait.Task)
            : wait.Tasks.Select(wrappers.WrapperOf).FirstOrDefault(w => w is not null);

        string blocking = Describe(wait);
        if (wrapper is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingWaitOnWrapper, wait.Operation.Syntax.GetLocation(), blocking, wrapper.Name));
        }
        else if (EnclosingMember(context.SemanticModel, operation.Syntax, context.CancellationToken) is { } containing)
        {
            string? where = known.IsBatchMethod(containing)
                ? $"the batch method '{containing.Name}'"
                : BatchMethodCalling(containing, context.SemanticModel, known, context.CancellationToken) is { } caller
                    ? $"'{containing.Name}', which the batch method '{caller.Name}' calls"
                    : null;
            if (where is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingCallInBatchMethod, wait.Operation.Syntax.GetLocation(), blocking, where));
            }
        }
    }

    // A private method of the same type that a batch method calls directly: one level deep, found by name on syntax
    // first. In the batch method's own file the call is bound; in another file of a partial type (whose semantic model
    // an analyzer may not ask for) the name decides, when it is the type's only member of that name and the batch
    // method declares no local function of it.
    private static IMethodSymbol? BatchMethodCalling(ISymbol helper, SemanticModel model, KnownSymbols known, CancellationToken cancellationToken)
    {
        if (helper is not IMethodSymbol { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary } method)
        {
            return null;
        }

        bool nameIsUnique = method.ContainingType.GetMembers(method.Name).Length == 1;
        foreach (IMethodSymbol batchMethod in method.ContainingType.GetMembers().OfType<IMethodSymbol>().Where(known.IsBatchMethod))
        {
            foreach (SyntaxReference reference in batchMethod.DeclaringSyntaxReferences)
            {
                bool sameFile = reference.SyntaxTree == model.SyntaxTree;
                if (!sameFile && !nameIsUnique)
                {
                    continue;
                }

                SyntaxNode declaration = reference.GetSyntax(cancellationToken);
                if (!sameFile && declaration.DescendantNodes().OfType<LocalFunctionStatementSyntax>().Any(f => f.Identifier.ValueText == method.Name))
                {
                    continue;
                }

                foreach (InvocationExpressionSyntax call in declaration.DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    string? name = call.Expression switch
                    {
                        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
                        _ => null,
                    };
                    if (name != method.Name)
                    {
                        continue;
                    }

                    if (!sameFile || SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(call, cancellationToken).Symbol?.OriginalDefinition, method))
                    {
                        return batchMethod;
                    }
                }
            }
        }

        return null;
    }

    private static SyntaxNode? BlockingCandidate(SyntaxNode node) => node switch
    {
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } access => access,
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } } invocation when IsWaitMethodName(name) => invocation,
        InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: var name } } invocation when IsWaitMethodName(name) => invocation,
        _ => null,
    };

    private static bool IsWaitMethodName(string name) => name is "Wait" or "GetResult" or "WaitAll" or "WaitAny" or "Sleep";

    // Lambdas and local functions belong to the member they are written in.
    private static ISymbol? EnclosingMember(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        ISymbol? symbol = model.GetEnclosingSymbol(node.SpanStart, cancellationToken);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol;
    }

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }

    private static string Describe(BlockingWait wait) => wait.Kind switch
    {
        BlockingWaitKind.Result => ".Result",
        BlockingWaitKind.Wait => ".Wait()",
        BlockingWaitKind.GetResult => ".GetAwaiter().GetResult()",
        BlockingWaitKind.WaitAll => "Task.WaitAll",
        BlockingWaitKind.WaitAny => "Task.WaitAny",
        _ => "Thread.Sleep",
    };
}
