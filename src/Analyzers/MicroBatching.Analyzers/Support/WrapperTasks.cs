using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MicroBatching.Analyzers.Support;

/// <summary>
/// Recognises a task produced by a generated wrapper (by its <c>[MicroBatchedMember]</c> marker, never by name): a direct
/// call, the same through <c>AsTask()</c> or <c>ConfigureAwait</c>, a task or collection built from such calls
/// (<c>Task.WhenAll</c>/<c>WhenAny</c>, a LINQ <c>Select</c>, <c>ToArray</c>, <c>ToList</c>, an array), or a local that
/// only ever holds such tasks.
/// </summary>
internal sealed class WrapperTasks
{
    private readonly KnownSymbols _known;
    private readonly ImmutableArray<IOperation> _operations;

    public WrapperTasks(KnownSymbols known, ImmutableArray<IOperation> operationBlocks)
    {
        _known = known;
        _operations = operationBlocks.SelectMany(block => block.DescendantsAndSelf()).ToImmutableArray();
    }

    /// <summary>The wrapper whose task <paramref name="task"/> is, or <see langword="null"/>.</summary>
    public IMethodSymbol? WrapperOf(IOperation task) => WrapperOf(task, followLocals: true);

    private IMethodSymbol? WrapperOf(IOperation task, bool followLocals)
    {
        task = task.WithoutConversions();
        switch (task)
        {
            case IInvocationOperation invocation when _known.GeneratedMember(invocation.TargetMethod) is { Kind: not MicroBatchedMemberKind.Batcher }:
                return invocation.TargetMethod;
            case IInvocationOperation { TargetMethod.Name: "AsTask" or "ConfigureAwait", Instance: { } inner }:
                return WrapperOf(inner, followLocals);
            case ILocalReferenceOperation local when followLocals:
                return WrapperHeldBy(local.Local);
            case IInvocationOperation { TargetMethod.Name: "WhenAll" or "WhenAny" or "Select" or "ToArray" or "ToList" } combined:
                return WrapperInside(combined, followLocals);
            case IArrayCreationOperation array:
                return WrapperInside(array, followLocals);
            default:
                return null;
        }
    }

    // The first wrapper whose tasks a combinator or collection is built from: a wrapper call inside it (a Select's lambda
    // included), or a local inside it that holds wrapper tasks. Locals are followed one level only, so locals assigned
    // from each other cannot send the search round in circles.
    private IMethodSymbol? WrapperInside(IOperation combined, bool followLocals)
    {
        foreach (IOperation operation in combined.DescendantsAndSelf())
        {
            IMethodSymbol? wrapper = operation switch
            {
                IInvocationOperation invocation when _known.GeneratedMember(invocation.TargetMethod) is { Kind: not MicroBatchedMemberKind.Batcher } => invocation.TargetMethod,
                ILocalReferenceOperation local when followLocals => WrapperHeldBy(local.Local),
                _ => null,
            };
            if (wrapper is not null)
            {
                return wrapper;
            }
        }

        return null;
    }

    // A local counts only if every value ever stored in it is a wrapper's task.
    private IMethodSymbol? WrapperHeldBy(ILocalSymbol local)
    {
        IMethodSymbol? wrapper = null;
        foreach (IOperation operation in _operations)
        {
            IOperation? stored = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.Initializer?.Value,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                _ => null,
            };
            if (stored is null)
            {
                continue;
            }

            wrapper = WrapperOf(stored, followLocals: false);
            if (wrapper is null)
            {
                return null;
            }
        }

        return wrapper;
    }
}
