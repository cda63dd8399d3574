using MicroBatching.SourceGeneration;

namespace MicroBatching.Analyzers.Declarations;

/// <summary>
/// The words for each <see cref="DeclarationProblemKind"/>: a phrase that completes "the method …" (MBAT001) or "…, so
/// its wrappers cannot be generated" (MBAT004). The shared rules return codes; only the analyzers speak.
/// </summary>
internal static class DeclarationProblemMessages
{
    public static string Format(DeclarationProblem problem)
    {
        IReadOnlyList<string> a = problem.Arguments;
        return problem.Kind switch
        {
            DeclarationProblemKind.GenericMethod =>
                "is generic; a batch method cannot have type parameters (make the containing type generic instead)",
            DeclarationProblemKind.ExplicitInterfaceImplementation => "is an explicit interface implementation; mark a regular method instead",
            DeclarationProblemKind.DeclaredInInterface => "is declared in an interface; batch methods must be declared in a class, struct or record",
            DeclarationProblemKind.InstanceMethodOfStruct =>
                "is an instance method of a struct; copies of a struct cannot share a batcher, so make the method static or the type a class",
            DeclarationProblemKind.NoParameters => "has no parameters, but must take a list of items",
            DeclarationProblemKind.ParameterByReference => $"takes parameter '{a[0]}' by {a[1]}; batch parameters must be passed by value",
            DeclarationProblemKind.ExtraParameter =>
                $"has the extra parameter '{a[0]}'; a batch method takes only its list of items and, optionally, a CancellationToken",
            DeclarationProblemKind.NoResults => "returns no results, but must return one result per item",
            DeclarationProblemKind.UnsupportedItemList =>
                $"takes '{a[0]}' first, but must take its items as IReadOnlyList<T>, T[], List<T>, IList<T> or IEnumerable<T>",
            DeclarationProblemKind.UnsupportedResults =>
                $"returns '{a[0]}', but must return one result per item: IReadOnlyList<R>, IList<R>, List<R>, R[], " +
                "IReadOnlyDictionary<T, R> or Dictionary<T, R>, directly or as Task<…> or ValueTask<…>",
            DeclarationProblemKind.KeyTypeDiffersFromItemType =>
                $"returns a dictionary keyed by '{a[0]}', but its items are '{a[1]}'; a keyed batch method must key its results by item",
            DeclarationProblemKind.NullableKeyType => "returns a dictionary keyed by a nullable type; dictionary keys cannot be null",
            DeclarationProblemKind.PointerType =>
                $"takes or returns the pointer type '{a[0]}'; a pointer cannot be a type argument of the batcher, so wrap it in a struct",
            DeclarationProblemKind.FileLocalType =>
                $"is declared in the file-local type '{a[0]}', which generated code in another file cannot add to; remove 'file' or move the method",
            DeclarationProblemKind.InvalidNameOverride => $"Name = \"{a[0]}\" is not a valid C# method name",
            DeclarationProblemKind.NoBatchWordInName =>
                $"no wrapper name can be derived from '{a[0]}': the name contains no word 'Batch' to drop (as in 'InferBatchAsync' → 'InferAsync'); set Name on the attribute",
            DeclarationProblemKind.NameOfEnclosingType => $"the generated member '{a[0]}' would have the name of its enclosing type",
            DeclarationProblemKind.NameOfTypeParameter => $"the generated member '{a[0]}' would have the name of a type parameter of '{a[1]}'",
            DeclarationProblemKind.ClashesWithMember => $"the generated {a[0]} would clash with the existing member '{a[1]}'",
            DeclarationProblemKind.HidesInheritedMember => $"the generated {a[0]} would hide the inherited member '{a[1]}'",
            DeclarationProblemKind.CapturesWrapperCalls =>
                $"the existing method '{a[0]}' would receive the calls meant for the generated '{a[1]}': overload resolution prefers it " +
                "(or cannot choose) for a call with just the item; rename it, or set Name on the attribute",
            DeclarationProblemKind.GeneratedForAnotherBatchMethod =>
                $"the generated member '{a[0]}' would also be generated for the batch method '{a[1]}'",
            _ => problem.Kind.ToString(),
        };
    }
}
