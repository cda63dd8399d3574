using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>
/// Finds an existing member the generated members would clash with. A wrapper may overload a member of the same name;
/// only an exact signature clash, a non-method of the same name, or another batch method generating the same names is a
/// conflict. Inherited members count too, since hiding them would warn.
/// </summary>
internal static class GeneratedMemberConflicts
{
    /// <summary>Returns the problem, or <see langword="null"/> if nothing clashes.</summary>
    public static DeclarationProblem? Find(IMethodSymbol method, BatchMethodShape shape, GeneratedMemberNames names)
    {
        INamedTypeSymbol type = method.ContainingType;
        foreach (string name in new[] { names.Wrapper, names.Many, names.Batcher })
        {
            if (name == type.Name)
            {
                return new DeclarationProblem(DeclarationProblemKind.NameOfEnclosingType, name);
            }

            if (type.TypeParameters.Any(p => p.Name == name))
            {
                return new DeclarationProblem(DeclarationProblemKind.NameOfTypeParameter, name, type.Name);
            }
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            bool inherited = !SymbolEqualityComparer.Default.Equals(current, type);
            foreach (ISymbol member in current.GetMembers())
            {
                // Names first: reading attributes is far dearer, and most members share no name with the generated ones.
                if ((member.Name != names.Wrapper && member.Name != names.Many && member.Name != names.Batcher) ||
                    member.IsImplicitlyDeclared || (inherited && member.DeclaredAccessibility == Accessibility.Private) || IsGenerated(member))
                {
                    continue;
                }

                string? clash = Clash(member, shape, names);
                if (clash is not null)
                {
                    return new DeclarationProblem(
                        inherited ? DeclarationProblemKind.HidesInheritedMember : DeclarationProblemKind.ClashesWithMember, clash, member.ToDisplayString());
                }

                // Only the type's own methods: an applicable generated method hides the base type's from overload resolution.
                if (!inherited && member is IMethodSymbol own && CapturesCalls(own, shape, names))
                {
                    return new DeclarationProblem(DeclarationProblemKind.CapturesWrapperCalls, member.ToDisplayString(), member.Name);
                }
            }
        }

        foreach (IMethodSymbol sibling in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (SymbolEqualityComparer.Default.Equals(sibling, method) || MicroBatchedSettings.Find(sibling) is not { } attribute)
            {
                continue;
            }

            GeneratedMemberNames? siblingNames = GeneratedMemberNames.TryCreate(sibling.Name, MicroBatchedSettings.From(attribute).Name, out _);
            string? shared = siblingNames is null ? null : SharedName(names, siblingNames);
            if (shared is not null)
            {
                return new DeclarationProblem(DeclarationProblemKind.GeneratedForAnotherBatchMethod, shared, sibling.ToDisplayString());
            }
        }

        return null;
    }

    // Which generated member clashes ("property 'InferBatcher'"), as a message names it.
    private static string? Clash(ISymbol member, BatchMethodShape shape, GeneratedMemberNames names)
    {
        if (member.Name == names.Batcher)
        {
            return $"property '{names.Batcher}'";
        }

        if (member.Name == names.Wrapper && (member is not IMethodSymbol wrapper || TakesItemAndToken(wrapper, shape.ItemType)))
        {
            return $"method '{names.Wrapper}'";
        }

        if (member.Name == names.Many && (member is not IMethodSymbol many || TakesItemsAndToken(many, shape.ItemType)))
        {
            return $"method '{names.Many}'";
        }

        return null;
    }

    // A call with just the item (or items) binds to a method named like the wrapper whose first parameter is exactly the
    // item type and whose other parameters are all optional: it needs no more default arguments than the wrapper's
    // CancellationToken, so overload resolution prefers it, or finds the two ambiguous.
    private static bool CapturesCalls(IMethodSymbol method, BatchMethodShape shape, GeneratedMemberNames names)
    {
        if (method.Arity != 0 || method.Parameters.Length == 0 || method.Parameters[0].RefKind != RefKind.None ||
            method.Parameters.Skip(1).Any(p => !p.IsOptional && !p.IsParams))
        {
            return false;
        }

        ITypeSymbol first = method.Parameters[0].Type;
        return method.Name == names.Wrapper
            ? SymbolEqualityComparer.Default.Equals(first, shape.ItemType)
            : method.Name == names.Many && first is INamedTypeSymbol { Arity: 1 } items &&
              TypeNameMatcher.IsGenericCollection(items, "IEnumerable", 1) && SymbolEqualityComparer.Default.Equals(items.TypeArguments[0], shape.ItemType);
    }

    private static bool TakesItemAndToken(IMethodSymbol method, ITypeSymbol itemType) =>
        method.Arity == 0 &&
        method.Parameters.Length == 2 &&
        method.Parameters.All(p => p.RefKind == RefKind.None) &&
        SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, itemType) &&
        TypeNameMatcher.IsCancellationToken(method.Parameters[1].Type);

    private static bool TakesItemsAndToken(IMethodSymbol method, ITypeSymbol itemType) =>
        method.Arity == 0 &&
        method.Parameters.Length == 2 &&
        method.Parameters.All(p => p.RefKind == RefKind.None) &&
        method.Parameters[0].Type is INamedTypeSymbol { Arity: 1 } items &&
        TypeNameMatcher.IsGenericCollection(items, "IEnumerable", 1) &&
        SymbolEqualityComparer.Default.Equals(items.TypeArguments[0], itemType) &&
        TypeNameMatcher.IsCancellationToken(method.Parameters[1].Type);

    private static string? SharedName(GeneratedMemberNames a, GeneratedMemberNames b)
    {
        string[] theirs = [b.Wrapper, b.Many, b.Batcher];
        return new[] { a.Wrapper, a.Many, a.Batcher }.FirstOrDefault(theirs.Contains);
    }

    private static bool IsGenerated(ISymbol member) =>
        member.GetAttributes().Any(a => TypeNameMatcher.IsMicroBatchedMemberAttribute(a.AttributeClass)) ||
        member.Name.StartsWith(TypeNames.GeneratedFieldPrefix, StringComparison.Ordinal);
}
