using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MicroBatching.Analyzers.ResultCount;

/// <summary>
/// How many times one pass through a loop body adds to the result list: the fewest and the most over all paths, and
/// whether the body may leave early. <see cref="Unknown"/> when an add sits where paths cannot be followed
/// (nested loops, try blocks, switches, lambdas).
/// </summary>
internal readonly struct AddCount
{
    private const int Many = int.MaxValue / 4;

    private AddCount(int min, int max, bool mayExit, bool alwaysExits, bool unknown)
    {
        Min = min;
        Max = max;
        MayExit = mayExit;
        AlwaysExits = alwaysExits;
        Unknown = unknown;
    }

    public int Min { get; }

    public int Max { get; }

    public bool MayExit { get; }

    public bool AlwaysExits { get; }

    public bool Unknown { get; }

    private static AddCount None => new(0, 0, false, false, false);

    private static AddCount Exit => new(0, 0, true, true, false);

    private static AddCount Unknowable => new(0, Many, true, false, true);

    public static AddCount Of(IOperation operation, Func<IInvocationOperation, bool> isAdd)
    {
        switch (operation)
        {
            case IExpressionStatementOperation { Operation: IInvocationOperation invocation } when isAdd(invocation):
                return new AddCount(1, 1, false, false, false);

            case IBlockOperation block:
                return Sequence(block.Operations, isAdd);

            case IBranchOperation:
            case IReturnOperation:
            case IExpressionStatementOperation { Operation: IThrowOperation }:
                return Exit;

            case IConditionalOperation { IsRef: false } conditional:
                AddCount whenTrue = Of(conditional.WhenTrue, isAdd);
                AddCount whenFalse = conditional.WhenFalse is null ? None : Of(conditional.WhenFalse, isAdd);
                return Either(whenTrue, whenFalse, ContainsAdd(conditional.Condition, isAdd));

            case IUsingOperation @using:
                return Of(@using.Body, isAdd);

            case ILockOperation @lock:
                return Of(@lock.Body, isAdd);

            default:
                // Anything else must not add; it may still leave the loop through a return or a throw.
                return ContainsAdd(operation, isAdd)
                    ? Unknowable
                    : new AddCount(0, 0, operation.Descendants().Any(d => d is IReturnOperation or IThrowOperation), false, false);
        }
    }

    private static AddCount Sequence(IEnumerable<IOperation> operations, Func<IInvocationOperation, bool> isAdd)
    {
        int min = 0, max = 0;
        bool mayHaveLeft = false, mayExit = false;
        foreach (IOperation operation in operations)
        {
            AddCount count = Of(operation, isAdd);
            if (count.Unknown)
            {
                return Unknowable;
            }

            // Once a path may have left, later adds are not certain for that path.
            if (!mayHaveLeft)
            {
                min += count.Min;
            }

            max = Math.Min(Many, max + count.Max);
            mayExit |= count.MayExit;
            mayHaveLeft |= count.MayExit;
            if (count.AlwaysExits)
            {
                // Every path that reaches this statement leaves here; the rest of the block is unreachable.
                return new AddCount(min, max, true, true, false);
            }
        }

        return new AddCount(min, max, mayExit, false, false);
    }

    private static AddCount Either(AddCount a, AddCount b, bool conditionAdds) =>
        conditionAdds || a.Unknown || b.Unknown
            ? Unknowable
            : new AddCount(Math.Min(a.Min, b.Min), Math.Max(a.Max, b.Max), a.MayExit || b.MayExit, a.AlwaysExits && b.AlwaysExits, false);

    private static bool ContainsAdd(IOperation operation, Func<IInvocationOperation, bool> isAdd) =>
        operation.DescendantsAndSelf().OfType<IInvocationOperation>().Any(isAdd);
}
