namespace MicroBatching.SourceGeneration;

/// <summary>Why no code can be generated for a <c>[MicroBatched]</c> method; the analyzers turn it into a message.</summary>
internal enum DeclarationProblemKind
{
    // MBAT001: the signature.
    GenericMethod,
    ExplicitInterfaceImplementation,
    DeclaredInInterface,
    InstanceMethodOfStruct,
    NoParameters,
    ParameterByReference,
    ExtraParameter,
    NoResults,
    UnsupportedItemList,
    UnsupportedResults,
    KeyTypeDiffersFromItemType,
    NullableKeyType,
    PointerType,
    FileLocalType,

    // MBAT004: the generated names.
    InvalidNameOverride,
    NoBatchWordInName,
    NameOfEnclosingType,
    NameOfTypeParameter,
    ClashesWithMember,
    HidesInheritedMember,
    CapturesWrapperCalls,
    GeneratedForAnotherBatchMethod,
}

/// <summary>A problem code with its arguments (names and types as they should appear in a message).</summary>
internal sealed class DeclarationProblem
{
    public DeclarationProblem(DeclarationProblemKind kind, params string[] arguments)
    {
        Kind = kind;
        Arguments = arguments;
    }

    public DeclarationProblemKind Kind { get; }

    public IReadOnlyList<string> Arguments { get; }
}
