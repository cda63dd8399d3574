using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>
/// The accessibility of the generated members: public, unless a type in their signature is less visible, in which case
/// public members would not compile (CS0050/CS0051).
/// </summary>
internal static class SignatureAccessibility
{
    public static Accessibility For(params ITypeSymbol[] types) =>
        types.Aggregate(Accessibility.Public, (accessibility, type) => Narrowest(accessibility, Of(type)));

    public static string ToKeywords(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        Accessibility.Private => "private",
        _ => "public",
    };

    private static Accessibility Of(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return Of(array.ElementType);
            case INamedTypeSymbol named:
                Accessibility accessibility = Accessibility.Public;
                for (INamedTypeSymbol? current = named; current is not null; current = current.ContainingType)
                {
                    accessibility = Narrowest(accessibility, current.DeclaredAccessibility);
                }

                return named.TypeArguments.Aggregate(accessibility, (a, argument) => Narrowest(a, Of(argument)));
            default:
                return Accessibility.Public;
        }
    }

    private static Accessibility Narrowest(Accessibility a, Accessibility b)
    {
        if (a == b || b is Accessibility.Public or Accessibility.NotApplicable)
        {
            return a;
        }

        if (a is Accessibility.Public or Accessibility.NotApplicable)
        {
            return b;
        }

        if (a == Accessibility.Private || b == Accessibility.Private)
        {
            return Accessibility.Private;
        }

        if (a == Accessibility.ProtectedOrInternal)
        {
            return b;
        }

        if (b == Accessibility.ProtectedOrInternal)
        {
            return a;
        }

        // What remains is protected, internal or private protected, two of them different: both must hold.
        return Accessibility.ProtectedAndInternal;
    }
}
