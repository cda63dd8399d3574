using MicroBatching.SourceGeneration;
using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MicroBatching.Analyzers.ResultCount;

/// <summary>
/// Tries to prove that a value a batch method returns has a different count than its items, and says why. Every path
/// it does not fully understand ends in "no proof".
/// </summary>
internal sealed class ResultCountProof
{
    // LINQ operators whose output can be shorter or longer than their input.
    private static readonly ImmutableHashSet<string> s_countChanging = ImmutableHashSet.Create(
        "Where", "Distinct", "DistinctBy", "Take", "TakeLast", "TakeWhile", "Skip", "SkipLast", "SkipWhile", "OfType",
        "SelectMany", "Concat", "Append", "Prepend", "Union", "UnionBy", "Intersect", "IntersectBy", "Except", "ExceptBy",
        "GroupBy", "Chunk", "ToHashSet");

    // Operators and conversions that keep the count of their source.
    private static readonly ImmutableHashSet<string> s_countPreserving = ImmutableHashSet.Create(
        "Select", "Cast", "Reverse", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Order", "OrderDescending",
        "AsEnumerable", "ToList", "ToArray", "ToImmutableArray", "ToImmutableList", "AsReadOnly", "AsReadOnlyList");

    // Operators that give a non-empty result over no items.
    private static readonly ImmutableHashSet<string> s_adding = ImmutableHashSet.Create("Concat", "Append", "Prepend", "Union", "UnionBy");

    private readonly IMethodSymbol _method;
    private readonly CountGuard _guard;
    private readonly int _maxBatchSize;
    private readonly ImmutableArray<IOperation> _body;

    public ResultCountProof(IMethodSymbol method, int maxBatchSize, ImmutableArray<IOperation> operationBlocks)
    {
        _method = method;
        _maxBatchSize = maxBatchSize;
        _body = operationBlocks;
        Returns = operationBlocks.SelectMany(b => b.DescendantsAndSelf()).OfType<IReturnOperation>().Where(r => !OperationHelpers.IsInNestedFunction(r)).ToImmutableArray();
        _guard = new CountGuard(method.Parameters[0], SingleInitializer);
    }

    /// <summary>The name of the items parameter, for messages.</summary>
    public string ItemsName => Items.Name;

    /// <summary>The method's own return statements (not those of lambdas or local functions inside it).</summary>
    public ImmutableArray<IReturnOperation> Returns { get; }

    private IParameterSymbol Items => _method.Parameters[0];

    /// <summary>A phrase completing "'Method' …, so its result count can differ", or <see langword="null"/> without proof.</summary>
    public string? Explain(IOperation returned) => ExplainValue(UnwrapResult(returned), followLocal: true);

    /// <summary>
    /// Whether the conditions on the way to <paramref name="returned"/> make its value right after all: an empty result
    /// after <c>if (items.Count == 0)</c>, a fixed size k after <c>if (items.Length == k)</c>, a filter over no items.
    /// </summary>
    public bool IsRightForGuardedCount(IReturnOperation returned, IOperation value)
    {
        int? count = _guard.CountAt(returned);
        if (count is null)
        {
            return false;
        }

        if (count == CountGuard.Unreachable)
        {
            return true;
        }

        IOperation result = UnwrapResult(value);
        if (result is ILocalReferenceOperation { Local: var local } && SingleInitializer(local) is { } initializer)
        {
            // Whatever a loop over the items would add to it, over no items it adds nothing.
            result = UnwrapResult(initializer);
            if (count == 0 && result is IObjectCreationOperation { Initializer: null } creation && IsListCreation(creation))
            {
                return true;
            }
        }

        if (EmptyCollection(result))
        {
            return count == 0;
        }

        if (FixedSize(result) is int size)
        {
            return size == count;
        }

        return count == 0 && result is IInvocationOperation call && OnlyFiltersItems(call);
    }

    // A LINQ chain over the items with no operator that adds elements of its own: over no items it returns none.
    private bool OnlyFiltersItems(IInvocationOperation call)
    {
        IOperation? current = call;
        while (current is IInvocationOperation link)
        {
            if (s_adding.Contains(link.TargetMethod.Name))
            {
                return false;
            }

            current = LinqSource(link)?.WithoutConversions();
        }

        return current is IParameterReferenceOperation parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter, Items);
    }

    /// <summary>The collection a return statement hands back, inside any task wrapper or conversion: where MBAT101 is reported.</summary>
    public static IOperation ReturnedCollection(IOperation returned)
    {
        while (true)
        {
            switch (returned)
            {
                case IConversionOperation conversion:
                    returned = conversion.Operand;
                    continue;
                case IInvocationOperation { TargetMethod.Name: "FromResult", Arguments.Length: 1 } fromResult
                    when OperationHelpers.IsTaskType(fromResult.TargetMethod.ContainingType):
                    returned = fromResult.Arguments[0].Value;
                    continue;
                case IObjectCreationOperation { Arguments.Length: 1 } creation
                    when OperationHelpers.IsTaskType(creation.Type) && !OperationHelpers.IsTaskType(creation.Arguments[0].Value.Type):
                    returned = creation.Arguments[0].Value;
                    continue;
                default:
                    return returned;
            }
        }
    }

    /// <summary>
    /// For a returned count-keeping chain (Select, ToList and the like) whose source is a local holding a count-changing
    /// operator over the items: that local and the operator. Null otherwise, and for a chain that starts at the items
    /// themselves, which maps each item back to its result.
    /// </summary>
    public (string Local, string Operator)? DerivedFromCountChangingLocal(IOperation returned)
    {
        IOperation? current = UnwrapResult(returned);
        while (current is IInvocationOperation call)
        {
            if (!KeepsCount(call))
            {
                return null;
            }

            current = LinqSource(call)?.WithoutConversions();
        }

        if (current is not ILocalReferenceOperation { Local: var local } || SingleInitializer(local) is not { } initializer ||
            UnwrapResult(initializer) is not IInvocationOperation source || CountChangingOperatorOverItems(source) is not { } linqOperator)
        {
            return null;
        }

        return (local.Name, linqOperator);
    }

    // The initializer of a local that is never assigned again, or null.
    private IOperation? SingleInitializer(ILocalSymbol local)
    {
        IVariableDeclaratorOperation? declarator = _body.SelectMany(b => b.DescendantsAndSelf()).OfType<IVariableDeclaratorOperation>()
            .SingleOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local));
        return References(local).Any(IsWrite) ? null : declarator?.Initializer?.Value;
    }

    private IEnumerable<ILocalReferenceOperation> References(ILocalSymbol local) =>
        _body.SelectMany(b => b.DescendantsAndSelf()).OfType<ILocalReferenceOperation>().Where(r => SymbolEqualityComparer.Default.Equals(r.Local, local));

    private string? ExplainValue(IOperation value, bool followLocal)
    {
        if (EmptyCollection(value))
        {
            return "returns an empty collection";
        }

        if (FixedSize(value) is int size && !(size == 1 && _maxBatchSize == 1))
        {
            return $"returns a collection of fixed size {size} whatever the number of items";
        }

        if (value is IInvocationOperation invocation && CountChangingOperatorOverItems(invocation) is string linqOperator)
        {
            return $"returns the result of '{linqOperator}' over its items";
        }

        return followLocal && value is ILocalReferenceOperation local ? ExplainLocal(local.Local) : null;
    }

    // Results are often wrapped: Task.FromResult(x), new ValueTask<T>(x), conversions, and count-keeping copies such as x.ToArray().
    private static IOperation UnwrapResult(IOperation operation)
    {
        while (true)
        {
            operation = ReturnedCollection(operation);
            if (operation is IInvocationOperation { TargetMethod.Name: "ToList" or "ToArray" or "AsReadOnly" or "ToImmutableArray" } copy &&
                LinqSource(copy) is { } source)
            {
                operation = source;
                continue;
            }

            return operation;
        }
    }

    private static bool EmptyCollection(IOperation value) => value switch
    {
        IArrayCreationOperation array => FixedSize(array) == 0,
        IInvocationOperation { TargetMethod.Name: "Empty", Arguments.Length: 0 } empty =>
            empty.TargetMethod.ContainingType?.Name is "Array" or "Enumerable",
        IObjectCreationOperation { Initializer: null } creation => IsListCreation(creation),
        _ => value.Syntax is CollectionExpressionSyntax { Elements.Count: 0 },
    };

    private static int? FixedSize(IOperation value)
    {
        if (value is IArrayCreationOperation array)
        {
            if (array.Initializer is { } initializer)
            {
                return initializer.ElementValues.Length;
            }

            return array.DimensionSizes.Length == 1 && array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int size } ? size : null;
        }

        if (value.Syntax is CollectionExpressionSyntax collection && collection.Elements.All(e => e is ExpressionElementSyntax))
        {
            return collection.Elements.Count;
        }

        return null;
    }

    private static bool IsListCreation(IObjectCreationOperation creation) =>
        creation.Type is { } list && TypeNameMatcher.IsGenericCollection(list, "List", 1) &&
        (creation.Arguments.Length == 0 || creation.Arguments[0].Value.Type?.SpecialType == SpecialType.System_Int32);

    // Walks a LINQ chain down to its source; reports the first count-changing operator if the chain starts at the items.
    private string? CountChangingOperatorOverItems(IInvocationOperation invocation)
    {
        string? found = null;
        IOperation? current = invocation;
        while (current is IInvocationOperation call)
        {
            string name = call.TargetMethod.Name;
            if (s_countChanging.Contains(name))
            {
                found ??= KeepsCountAnyway(call) ? null : name;
            }
            else if (!KeepsCount(call))
            {
                return null;
            }

            current = LinqSource(call)?.WithoutConversions();
        }

        return current is IParameterReferenceOperation parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter, Items) ? found : null;
    }

    // Take(items.Count), Take(n ≥ MaxSize) and Skip(0) cannot change the count of a batch.
    private bool KeepsCountAnyway(IInvocationOperation call)
    {
        if (call.TargetMethod.Name is not ("Take" or "Skip") || call.Arguments.Length != 2)
        {
            return false;
        }

        IOperation argument = call.Arguments[1].Value;
        if (argument.ConstantValue is { HasValue: true, Value: int count })
        {
            return call.TargetMethod.Name == "Take" ? count >= _maxBatchSize : count == 0;
        }

        return call.TargetMethod.Name == "Take" &&
               argument is IPropertyReferenceOperation { Property.Name: "Count" or "Length", Instance: IParameterReferenceOperation source } &&
               SymbolEqualityComparer.Default.Equals(source.Parameter, Items);
    }

    // A Select counts only in the (source, selector) shape of LINQ's, not as some other type's method of that name.
    private static bool KeepsCount(IInvocationOperation call) =>
        s_countPreserving.Contains(call.TargetMethod.Name) && (call.TargetMethod.Name != "Select" || call.TargetMethod.Parameters.Length == 2);

    private static IOperation? LinqSource(IInvocationOperation call) =>
        call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null);

    // A returned local: what it was initialised with, and for a list, how the method adds to it.
    private string? ExplainLocal(ILocalSymbol local)
    {
        if (SingleInitializer(local) is not { } initializer)
        {
            return null;
        }

        IOperation value = UnwrapResult(initializer);
        if (value is not IObjectCreationOperation { Initializer: null } creation || !IsListCreation(creation))
        {
            // Arrays keep their size whatever is stored in them.
            return ExplainValue(value, followLocal: false);
        }

        var adds = new List<IInvocationOperation>();
        foreach (IOperation reference in References(local))
        {
            if (reference.Parent is IInvocationOperation { TargetMethod.Name: "Add", Parent: IExpressionStatementOperation } add && add.Instance == reference)
            {
                adds.Add(add);
            }
            else if (!IsReturned(reference) && reference.Parent is not IPropertyReferenceOperation { Property.Name: "Count" or "this[]" })
            {
                return null; // passed on, mutated otherwise, captured: the count is not provable
            }
        }

        if (adds.Count == 0)
        {
            return $"returns the list '{local.Name}' without ever adding to it";
        }

        return ExplainLoopAdds(local, adds);
    }

    private string? ExplainLoopAdds(ILocalSymbol local, List<IInvocationOperation> adds)
    {
        ILoopOperation? loop = OperationHelpers.EnclosingLoop(adds[0]);
        if (loop is null || !IteratesItems(loop) || adds.Any(add => OperationHelpers.EnclosingLoop(add) != loop))
        {
            return null;
        }

        AddCount count = AddCount.Of(loop.Body, add => add.Instance is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, local));
        if (count.Unknown)
        {
            return null;
        }

        if (count.Min == 0)
        {
            return $"adds to '{local.Name}' only on some paths through its loop over '{Items.Name}'";
        }

        return count.Min >= 2 ? $"adds to '{local.Name}' more than once per item of '{Items.Name}'" : null;
    }

    private bool IteratesItems(ILoopOperation loop)
    {
        switch (loop)
        {
            case IForEachLoopOperation forEach:
                IOperation collection = forEach.Collection;
                while (collection is IConversionOperation conversion)
                {
                    collection = conversion.Operand;
                }

                return collection is IParameterReferenceOperation parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter, Items);

            case IForLoopOperation { Condition: IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan, LeftOperand: ILocalReferenceOperation, RightOperand: var bound } } forLoop
                when forLoop.Before.Length == 1 && forLoop.AtLoopBottom.Length == 1:
                while (bound is IConversionOperation conversion)
                {
                    bound = conversion.Operand;
                }

                return bound is IPropertyReferenceOperation { Property.Name: "Count" or "Length", Instance: IParameterReferenceOperation source } &&
                       SymbolEqualityComparer.Default.Equals(source.Parameter, Items);

            default:
                return false;
        }
    }

    // Whether the reference only flows into a return statement, through conversions, copies and task wrappers.
    private static bool IsReturned(IOperation reference)
    {
        for (IOperation? current = reference.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IReturnOperation:
                    return true;
                case IConversionOperation or IArgumentOperation or IObjectCreationOperation:
                case IInvocationOperation { TargetMethod.Name: "FromResult" or "ToList" or "ToArray" or "AsReadOnly" or "ToImmutableArray" }:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool IsWrite(IOperation reference) => reference.Parent switch
    {
        ISimpleAssignmentOperation assignment => assignment.Target == reference,
        ICompoundAssignmentOperation or ICoalesceAssignmentOperation or IIncrementOrDecrementOperation => true,
        IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
        _ => false,
    };
}
