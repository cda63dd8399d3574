using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MicroBatching.Analyzers.Support;

namespace MicroBatching.Analyzers.ResultCount;

/// <summary>
/// What the conditions on the way to a return statement prove about the number of items: <c>if (items.Count == 0)
/// return [];</c> returns an empty result only when there are no items, which is right. Understands comparisons of
/// <c>Count</c>, <c>Length</c> or <c>Count()</c> with a constant, <c>Any()</c>, the patterns <c>{ Count: 0 }</c>,
/// <c>[]</c> and <c>is 0</c>, negation, <c>&amp;&amp;</c> and <c>||</c>, and early exits before the return.
/// </summary>
internal sealed class CountGuard
{
    /// <summary>What <see cref="CountAt"/> returns for a return reached only when the items are null, which never happens.</summary>
    public const int Unreachable = int.MinValue;

    // A condition that cannot hold: the batcher never passes a null list.
    private const int Impossible = Unreachable;

    private readonly IParameterSymbol _items;
    private readonly Func<ILocalSymbol, IOperation?> _singleInitializer;

    public CountGuard(IParameterSymbol items, Func<ILocalSymbol, IOperation?> singleInitializer)
    {
        _items = items;
        _singleInitializer = singleInitializer;
    }

    /// <summary>
    /// The number of items the return is only reached with, <see cref="Unreachable"/> if it is reached only for null items,
    /// or <see langword="null"/> when nothing is proven.
    /// </summary>
    public int? CountAt(IReturnOperation returned)
    {
        IOperation node = returned;
        for (IOperation? parent = node.Parent; parent is not null; node = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }

            int? count = parent switch
            {
                IConditionalOperation branch when node == branch.WhenTrue => Implied(branch.Condition, whenTrue: true),
                IConditionalOperation branch when node == branch.WhenFalse => Implied(branch.Condition, whenTrue: false),
                IBlockOperation block => ImpliedByEarlyExits(block, node),
                _ => null,
            };
            if (count is not null)
            {
                return count;
            }
        }

        return null;
    }

    // if (items.Count != 0) { ...; return x; } followed by the statement: there the condition was false.
    private int? ImpliedByEarlyExits(IBlockOperation block, IOperation statement)
    {
        int index = block.Operations.IndexOf(statement);
        for (int i = index - 1; i >= 0; i--)
        {
            if (block.Operations[i] is IConditionalOperation { WhenFalse: null } guard && AlwaysExits(guard.WhenTrue) &&
                Implied(guard.Condition, whenTrue: false) is >= 0 and var count)
            {
                return count;
            }
        }

        return null;
    }

    private static bool AlwaysExits(IOperation statement) => statement switch
    {
        IReturnOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IThrowOperation => true,
        IBlockOperation { Operations: { Length: > 0 } operations } => AlwaysExits(operations[operations.Length - 1]),
        _ => false,
    };

    // The item count that the condition, evaluating to whenTrue, proves; Impossible for a null check of the items.
    private int? Implied(IOperation condition, bool whenTrue)
    {
        condition = condition.WithoutConversions();
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Implied(not.Operand, !whenTrue);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                return whenTrue ? Known(Implied(and.LeftOperand, true)) ?? Known(Implied(and.RightOperand, true)) : Both(and, false);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                return whenTrue ? Both(or, true) : Known(Implied(or.LeftOperand, false)) ?? Known(Implied(or.RightOperand, false));

            case IBinaryOperation comparison when IsNullCheck(comparison):
                return comparison.OperatorKind == BinaryOperatorKind.Equals == whenTrue ? Impossible : null;

            case IBinaryOperation comparison:
                return Compared(comparison, whenTrue);

            case IInvocationOperation { TargetMethod.Name: "Any", Arguments.Length: 1 } any when any.TargetMethod.IsExtensionMethod && IsItems(any.Arguments[0].Value):
                return whenTrue ? null : 0;

            case IIsPatternOperation isPattern when IsItems(isPattern.Value):
                return ItemsPattern(isPattern.Pattern, whenTrue);

            case IIsPatternOperation isPattern when IsCount(isPattern.Value):
                return CountPattern(isPattern.Pattern, whenTrue);

            default:
                return null;
        }
    }

    private static int? Known(int? count) => count is >= 0 ? count : null;

    // Both sides must prove the same count (a side that cannot hold proves nothing against the other).
    private int? Both(IBinaryOperation operation, bool whenTrue)
    {
        int? left = Implied(operation.LeftOperand, whenTrue);
        int? right = Implied(operation.RightOperand, whenTrue);
        return left == Impossible ? right : right == Impossible ? left : left == right ? left : null;
    }

    private bool IsNullCheck(IBinaryOperation comparison) =>
        comparison.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals &&
        ((IsItems(comparison.LeftOperand) && comparison.RightOperand.WithoutConversions().ConstantValue is { HasValue: true, Value: null }) ||
         (IsItems(comparison.RightOperand) && comparison.LeftOperand.WithoutConversions().ConstantValue is { HasValue: true, Value: null }));

    private int? Compared(IBinaryOperation comparison, bool whenTrue)
    {
        BinaryOperatorKind kind = comparison.OperatorKind;
        int? constant;
        if (IsCount(comparison.LeftOperand) && Constant(comparison.RightOperand) is { } right)
        {
            constant = right;
        }
        else if (IsCount(comparison.RightOperand) && Constant(comparison.LeftOperand) is { } left)
        {
            constant = left;
            kind = Mirror(kind);
        }
        else
        {
            return null;
        }

        // count OP constant
        return (kind, constant, whenTrue) switch
        {
            (BinaryOperatorKind.Equals, _, true) => constant,
            (BinaryOperatorKind.NotEquals, _, false) => constant,
            (BinaryOperatorKind.LessThan, 1, true) or (BinaryOperatorKind.LessThanOrEqual, 0, true) => 0,
            (BinaryOperatorKind.GreaterThan, 0, false) or (BinaryOperatorKind.GreaterThanOrEqual, 1, false) => 0,
            _ => null,
        };
    }

    private static BinaryOperatorKind Mirror(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
        _ => kind,
    };

    // items is { Count: 0 }, items is [], items is not { Length: > 0 }...
    private int? ItemsPattern(IPatternOperation pattern, bool whenTrue)
    {
        switch (pattern)
        {
            case INegatedPatternOperation negated:
                return ItemsPattern(negated.Pattern, !whenTrue);
            case IConstantPatternOperation constant when constant.Value.WithoutConversions().ConstantValue is { HasValue: true, Value: null }:
                return whenTrue ? Impossible : null;
            case IListPatternOperation { Patterns.Length: 0 } when whenTrue:
                return 0;
            case IRecursivePatternOperation { PropertySubpatterns: var properties } when properties.Length == 1 &&
                properties[0].Member is IPropertyReferenceOperation { Property.Name: "Count" or "Length" }:
                return CountPattern(properties[0].Pattern, whenTrue);
            default:
                return null;
        }
    }

    // count is 0, count is < 1, count is not 0, count is > 0...
    private static int? CountPattern(IPatternOperation pattern, bool whenTrue) => pattern switch
    {
        INegatedPatternOperation negated => CountPattern(negated.Pattern, !whenTrue),
        IConstantPatternOperation constant when whenTrue && Constant(constant.Value) is { } value => value,
        IRelationalPatternOperation { OperatorKind: BinaryOperatorKind.LessThan } relational when whenTrue && Constant(relational.Value) == 1 => 0,
        IRelationalPatternOperation { OperatorKind: BinaryOperatorKind.LessThanOrEqual } relational when whenTrue && Constant(relational.Value) == 0 => 0,
        IRelationalPatternOperation { OperatorKind: BinaryOperatorKind.GreaterThan } relational when !whenTrue && Constant(relational.Value) == 0 => 0,
        IRelationalPatternOperation { OperatorKind: BinaryOperatorKind.GreaterThanOrEqual } relational when !whenTrue && Constant(relational.Value) == 1 => 0,
        _ => null,
    };

    private static int? Constant(IOperation operation) =>
        operation.WithoutConversions().ConstantValue is { HasValue: true, Value: int value } && value >= 0 ? value :
        operation.ConstantValue is { HasValue: true, Value: long wide } && wide is >= 0 and <= int.MaxValue ? (int)wide : null;

    private bool IsCount(IOperation operation)
    {
        operation = operation.WithoutConversions();
        return operation switch
        {
            IPropertyReferenceOperation { Property.Name: "Count" or "Length" or "LongLength", Instance: { } instance } => IsItems(instance),
            IInvocationOperation { TargetMethod.Name: "Count" or "LongCount", Arguments.Length: 1 } count =>
                count.TargetMethod.IsExtensionMethod && IsItems(count.Arguments[0].Value),
            ILocalReferenceOperation { Local: var local } => _singleInitializer(local) is { } initializer && IsCount(initializer),
            _ => false,
        };
    }

    private bool IsItems(IOperation operation) =>
        operation.WithoutConversions() is IParameterReferenceOperation parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter, _items);
}
