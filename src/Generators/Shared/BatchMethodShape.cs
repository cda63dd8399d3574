using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>The list type a batch method takes its items as.</summary>
internal enum ItemListKind
{
    IReadOnlyList,
    IList,
    List,
    Array,
    IEnumerable,
}

/// <summary>How a batch method returns: directly, or through a task.</summary>
internal enum ReturnAwaitKind
{
    Synchronous,
    Task,
    ValueTask,
}

/// <summary>The collection a batch method returns its results in.</summary>
internal enum ResultCollectionKind
{
    IReadOnlyList,
    IList,
    List,
    Array,
    IReadOnlyDictionary,
    Dictionary,
}

/// <summary>
/// The accepted signature of a <c>[MicroBatched]</c> method: a list of items, optionally a cancellation token, and one
/// result per item (a list, or a dictionary keyed by item), directly or through <c>Task</c> or <c>ValueTask</c>.
/// </summary>
internal sealed class BatchMethodShape
{
    private BatchMethodShape(
        ITypeSymbol itemType,
        ITypeSymbol resultType,
        ItemListKind itemListKind,
        bool hasCancellationToken,
        ReturnAwaitKind returnAwaitKind,
        ResultCollectionKind resultCollectionKind,
        bool hasItemResults)
    {
        HasItemResults = hasItemResults;
        ItemType = itemType;
        ResultType = resultType;
        ItemListKind = itemListKind;
        HasCancellationToken = hasCancellationToken;
        ReturnAwaitKind = returnAwaitKind;
        ResultCollectionKind = resultCollectionKind;
    }

    public ITypeSymbol ItemType { get; }

    public ITypeSymbol ResultType { get; }

    public ItemListKind ItemListKind { get; }

    public bool HasCancellationToken { get; }

    public ReturnAwaitKind ReturnAwaitKind { get; }

    public ResultCollectionKind ResultCollectionKind { get; }

    public bool IsKeyed => ResultCollectionKind is ResultCollectionKind.IReadOnlyDictionary or ResultCollectionKind.Dictionary;

    /// <summary>
    /// Whether the method returns one <c>BatchItemResult&lt;R&gt;</c> per item, so each caller gets its own value or exception;
    /// <see cref="ResultType"/> is then <c>R</c>.
    /// </summary>
    public bool HasItemResults { get; }

    /// <summary>Classifies <paramref name="method"/>; returns <see langword="null"/> with the problem when it is not an accepted batch method.</summary>
    public static BatchMethodShape? TryCreate(IMethodSymbol method, out DeclarationProblem? problem)
    {
        problem = Check(method);
        if (problem is not null)
        {
            return null;
        }

        ITypeSymbol listType = method.Parameters[0].Type;
        ItemListKind? listKind = ClassifyItemList(listType, out ITypeSymbol? itemType);
        if (listKind is null || itemType is null)
        {
            problem = new DeclarationProblem(DeclarationProblemKind.UnsupportedItemList, listType.ToDisplayString());
            return null;
        }

        bool hasCancellationToken = method.Parameters.Length == 2;
        ITypeSymbol returned = Unwrap(method.ReturnType, out ReturnAwaitKind awaitKind);
        ResultCollectionKind? resultKind = ClassifyResults(returned, out ITypeSymbol? keyType, out ITypeSymbol? resultType);
        if (resultKind is null || resultType is null)
        {
            problem = new DeclarationProblem(DeclarationProblemKind.UnsupportedResults, method.ReturnType.ToDisplayString());
            return null;
        }

        // A generic type argument cannot be a pointer (CS0306), so no batcher can carry such items or results.
        if (IsPointer(itemType) || IsPointer(resultType))
        {
            problem = new DeclarationProblem(DeclarationProblemKind.PointerType, (IsPointer(itemType) ? itemType : resultType).ToDisplayString());
            return null;
        }

        if (keyType is not null && !SymbolEqualityComparer.Default.Equals(keyType, itemType))
        {
            problem = new DeclarationProblem(DeclarationProblemKind.KeyTypeDiffersFromItemType, keyType.ToDisplayString(), itemType.ToDisplayString());
            return null;
        }

        if (keyType is not null && itemType.IsValueType && itemType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            problem = new DeclarationProblem(DeclarationProblemKind.NullableKeyType);
            return null;
        }

        bool hasItemResults = keyType is null && resultType is INamedTypeSymbol { Arity: 1 } outcome &&
                              TypeNameMatcher.IsType(outcome, TypeNames.MicroBatchingNamespace, "BatchItemResult", 1);
        if (hasItemResults)
        {
            resultType = ((INamedTypeSymbol)resultType).TypeArguments[0];
        }

        return new BatchMethodShape(itemType, resultType, listKind.Value, hasCancellationToken, awaitKind, resultKind.Value, hasItemResults);
    }

    private static DeclarationProblem? Check(IMethodSymbol method)
    {
        if (method.IsGenericMethod)
        {
            return new DeclarationProblem(DeclarationProblemKind.GenericMethod);
        }

        if (method.ExplicitInterfaceImplementations.Length > 0)
        {
            return new DeclarationProblem(DeclarationProblemKind.ExplicitInterfaceImplementation);
        }

        INamedTypeSymbol containingType = method.ContainingType;
        if (containingType.TypeKind == TypeKind.Interface)
        {
            return new DeclarationProblem(DeclarationProblemKind.DeclaredInInterface);
        }

        // A file-local type can only be extended from its own file, never from a generated one.
        for (INamedTypeSymbol? type = containingType; type is not null; type = type.ContainingType)
        {
            if (type.IsFileLocal)
            {
                return new DeclarationProblem(DeclarationProblemKind.FileLocalType, type.Name);
            }
        }

        if (!method.IsStatic && containingType.IsValueType)
        {
            return new DeclarationProblem(DeclarationProblemKind.InstanceMethodOfStruct);
        }

        if (method.Parameters.Length == 0)
        {
            return new DeclarationProblem(DeclarationProblemKind.NoParameters);
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                return new DeclarationProblem(DeclarationProblemKind.ParameterByReference, parameter.Name, RefKindWord(parameter.RefKind));
            }
        }

        IParameterSymbol? extra = method.Parameters.Skip(1).FirstOrDefault(p => !TypeNameMatcher.IsCancellationToken(p.Type))
            ?? method.Parameters.ElementAtOrDefault(2);
        if (extra is not null)
        {
            return new DeclarationProblem(DeclarationProblemKind.ExtraParameter, extra.Name);
        }

        if (method.ReturnsVoid || TypeNameMatcher.IsTask(method.ReturnType, 0) || TypeNameMatcher.IsValueTask(method.ReturnType, 0))
        {
            return new DeclarationProblem(DeclarationProblemKind.NoResults);
        }

        return null;
    }

    private static bool IsPointer(ITypeSymbol type) => type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer;

    private static string RefKindWord(RefKind refKind) => refKind switch
    {
        RefKind.Out => "out",
        RefKind.In => "in",
        _ => "ref",
    };

    public static ItemListKind? ClassifyItemList(ITypeSymbol type, out ITypeSymbol? itemType)
    {
        itemType = null;
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            itemType = array.ElementType;
            return ItemListKind.Array;
        }

        if (type is not INamedTypeSymbol { Arity: 1 } named)
        {
            return null;
        }

        itemType = named.TypeArguments[0];
        if (TypeNameMatcher.IsGenericCollection(type, "IReadOnlyList", 1))
        {
            return ItemListKind.IReadOnlyList;
        }

        if (TypeNameMatcher.IsGenericCollection(type, "IList", 1))
        {
            return ItemListKind.IList;
        }

        if (TypeNameMatcher.IsGenericCollection(type, "List", 1))
        {
            return ItemListKind.List;
        }

        if (TypeNameMatcher.IsGenericCollection(type, "IEnumerable", 1))
        {
            return ItemListKind.IEnumerable;
        }

        itemType = null;
        return null;
    }

    public static ITypeSymbol Unwrap(ITypeSymbol returnType, out ReturnAwaitKind awaitKind)
    {
        if (returnType is INamedTypeSymbol { Arity: 1 } named)
        {
            if (TypeNameMatcher.IsTask(returnType, 1))
            {
                awaitKind = ReturnAwaitKind.Task;
                return named.TypeArguments[0];
            }

            if (TypeNameMatcher.IsValueTask(returnType, 1))
            {
                awaitKind = ReturnAwaitKind.ValueTask;
                return named.TypeArguments[0];
            }
        }

        awaitKind = ReturnAwaitKind.Synchronous;
        return returnType;
    }

    public static ResultCollectionKind? ClassifyResults(ITypeSymbol type, out ITypeSymbol? keyType, out ITypeSymbol? resultType)
    {
        keyType = null;
        resultType = null;
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            resultType = array.ElementType;
            return ResultCollectionKind.Array;
        }

        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        if (named.Arity == 2)
        {
            ResultCollectionKind? keyed =
                TypeNameMatcher.IsGenericCollection(type, "IReadOnlyDictionary", 2) ? ResultCollectionKind.IReadOnlyDictionary :
                TypeNameMatcher.IsGenericCollection(type, "Dictionary", 2) ? ResultCollectionKind.Dictionary :
                null;
            if (keyed is not null)
            {
                keyType = named.TypeArguments[0];
                resultType = named.TypeArguments[1];
            }

            return keyed;
        }

        if (named.Arity != 1)
        {
            return null;
        }

        ResultCollectionKind? list =
            TypeNameMatcher.IsGenericCollection(type, "IReadOnlyList", 1) ? ResultCollectionKind.IReadOnlyList :
            TypeNameMatcher.IsGenericCollection(type, "IList", 1) ? ResultCollectionKind.IList :
            TypeNameMatcher.IsGenericCollection(type, "List", 1) ? ResultCollectionKind.List :
            null;
        if (list is not null)
        {
            resultType = named.TypeArguments[0];
        }

        return list;
    }
}
