using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MicroBatching.Analyzers.Blocking;

/// <summary>How a thread is blocked.</summary>
internal enum BlockingWaitKind
{
    Result,
    Wait,
    GetResult,
    WaitAll,
    WaitAny,
    Sleep,
}

/// <summary>A synchronous wait: <c>.Result</c>, <c>.Wait()</c>, <c>.GetAwaiter().GetResult()</c>, <c>Task.WaitAll/WaitAny</c> or <c>Thread.Sleep</c>.</summary>
internal sealed class BlockingWait
{
    private BlockingWait(IOperation operation, BlockingWaitKind kind, IOperation? task, ImmutableArray<IOperation> tasks)
    {
        Operation = operation;
        Kind = kind;
        Task = task;
        Tasks = tasks;
    }

    /// <summary>The member access or invocation that blocks; diagnostics are reported on it.</summary>
    public IOperation Operation { get; }

    public BlockingWaitKind Kind { get; }

    /// <summary>The task waited for, for the instance forms.</summary>
    public IOperation? Task { get; }

    /// <summary>The tasks waited for by <c>Task.WaitAll</c> and <c>Task.WaitAny</c>.</summary>
    public ImmutableArray<IOperation> Tasks { get; }

    public static BlockingWait? TryCreate(IOperation operation, KnownSymbols known)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation { Property.Name: "Result", Instance: { } task } property when known.IsTaskOfT(property.Property.ContainingType):
                return new BlockingWait(operation, BlockingWaitKind.Result, task, ImmutableArray<IOperation>.Empty);

            case IInvocationOperation invocation:
                IMethodSymbol method = invocation.TargetMethod;
                if (method.Name == "Wait" && !method.IsStatic && invocation.Instance is { } waited && known.IsTaskClass(method.ContainingType))
                {
                    return new BlockingWait(operation, BlockingWaitKind.Wait, waited, ImmutableArray<IOperation>.Empty);
                }

                if (method.Name == "GetResult" && invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } awaitable })
                {
                    IOperation task = awaitable.WithoutConversions();
                    if (task is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured } && known.IsTask(configured.Type))
                    {
                        task = configured;
                    }

                    return known.IsTask(task.Type) ? new BlockingWait(operation, BlockingWaitKind.GetResult, task, ImmutableArray<IOperation>.Empty) : null;
                }

                if (method.IsStatic && method.Name is "WaitAll" or "WaitAny" && known.IsTaskClass(method.ContainingType))
                {
                    return new BlockingWait(operation, method.Name == "WaitAll" ? BlockingWaitKind.WaitAll : BlockingWaitKind.WaitAny, null, TaskArguments(invocation));
                }

                if (method.IsStatic && method.Name == "Sleep" && SymbolEqualityComparer.Default.Equals(method.ContainingType, known.Thread))
                {
                    return new BlockingWait(operation, BlockingWaitKind.Sleep, null, ImmutableArray<IOperation>.Empty);
                }

                return null;

            default:
                return null;
        }
    }

    // Every task expression inside the arguments, whether they bind to params Task[], params ReadOnlySpan<Task>
    // (a collection the Roslyn version these analyzers target cannot name) or an IEnumerable built by a query.
    private static ImmutableArray<IOperation> TaskArguments(IInvocationOperation invocation) =>
        invocation.Arguments
            .SelectMany(argument => argument.Value.DescendantsAndSelf())
            .Where(operation => operation is IInvocationOperation or ILocalReferenceOperation)
            .ToImmutableArray();
}
