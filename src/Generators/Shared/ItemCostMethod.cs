using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>Why a <c>[MicroBatched]</c> cost bound cannot be used; MBAT003 words it.</summary>
internal enum ItemCostProblem
{
    None,

    /// <summary><c>MaxCost</c> is below 0.</summary>
    NegativeMaxCost,

    /// <summary><c>MaxCost</c> is set but no <c>CostMethod</c> measures the items.</summary>
    NoCostMethod,

    /// <summary>No member of that name in the type or its bases.</summary>
    NotFound,

    /// <summary>Members of that name exist, but none is a method <c>int M(TItem)</c>.</summary>
    WrongSignature,

    /// <summary>Only instance methods match, and the batch method is static.</summary>
    InstanceMethodForStaticBatchMethod,

    /// <summary>More than one method matches and none takes the item type itself.</summary>
    Ambiguous,
}

/// <summary>
/// The rule for <c>CostMethod</c>: a non-generic method of the batch method's type (or a base type) that takes the item by
/// value and returns <see cref="int"/>; static if the batch method is. Shared by MBAT003 and the generator, which writes
/// the method as the batcher's item-cost function only when this finds no problem.
/// </summary>
internal static class ItemCostMethod
{
    /// <summary>Checks the cost settings; <paramref name="isStatic"/> tells how to call the method when there is no problem.</summary>
    public static ItemCostProblem Check(IMethodSymbol batchMethod, ITypeSymbol itemType, MicroBatchedSettings settings, out bool isStatic)
    {
        isStatic = false;
        if (settings.MaxCost < 0)
        {
            return ItemCostProblem.NegativeMaxCost;
        }

        if (settings.CostMethod is not { Length: > 0 } name)
        {
            return settings.MaxCost > 0 ? ItemCostProblem.NoCostMethod : ItemCostProblem.None;
        }

        var named = new List<ISymbol>();
        for (INamedTypeSymbol? type = batchMethod.ContainingType; type is not null; type = type.BaseType)
        {
            named.AddRange(type.GetMembers(name));
        }

        if (named.Count == 0)
        {
            return ItemCostProblem.NotFound;
        }

        List<IMethodSymbol> shaped = named.OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary && IsShaped(m, itemType)).ToList();
        List<IMethodSymbol> callable = shaped.Where(m => m.IsStatic || !batchMethod.IsStatic).ToList();
        if (callable.Count == 0)
        {
            return shaped.Count == 0 ? ItemCostProblem.WrongSignature : ItemCostProblem.InstanceMethodForStaticBatchMethod;
        }

        IMethodSymbol? chosen = callable.Count == 1
            ? callable[0]
            : callable.FirstOrDefault(m => SymbolEqualityComparer.Default.Equals(m.Parameters[0].Type, itemType));
        if (chosen is null)
        {
            return ItemCostProblem.Ambiguous;
        }

        isStatic = chosen.IsStatic;
        return ItemCostProblem.None;
    }

    private static bool IsShaped(IMethodSymbol method, ITypeSymbol itemType) =>
        !method.IsGenericMethod &&
        method.ReturnType.SpecialType == SpecialType.System_Int32 &&
        method.Parameters.Length == 1 &&
        method.Parameters[0].RefKind == RefKind.None &&
        TakesItem(method.Parameters[0].Type, itemType);

    // The item converts to the parameter by identity or reference: the delegate Func<TItem, int> can then bind the method.
    private static bool TakesItem(ITypeSymbol parameter, ITypeSymbol item)
    {
        if (parameter.TypeKind == TypeKind.Error || item.TypeKind == TypeKind.Error)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(parameter, item))
        {
            return true;
        }

        if (!item.IsReferenceType)
        {
            return false;
        }

        if (parameter.SpecialType == SpecialType.System_Object)
        {
            return true;
        }

        for (INamedTypeSymbol? type = item.BaseType; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter, type))
            {
                return true;
            }
        }

        return item.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(parameter, i));
    }
}
