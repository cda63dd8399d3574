namespace MicroBatching.SourceGeneration;

/// <summary>The names of the MicroBatching types and members that the generator emits and the analyzers look for.</summary>
internal static class TypeNames
{
    public const string MicroBatchingNamespace = "MicroBatching";

    public const string MicroBatchedAttribute = "MicroBatchedAttribute";

    public const string MicroBatchedAttributeMetadataName = MicroBatchingNamespace + "." + MicroBatchedAttribute;

    public const string MicroBatchedMemberAttribute = "MicroBatchedMemberAttribute";

    public const string MicroBatchedMemberAttributeMetadataName = MicroBatchingNamespace + "." + MicroBatchedMemberAttribute;

    public const string BatchDagAttribute = "BatchDagAttribute";

    public const string BatchDagAttributeMetadataName = MicroBatchingNamespace + "." + BatchDagAttribute;

    public const string DagNodeAttribute = "DagNodeAttribute";

    /// <summary>The named argument of <c>[MicroBatchedMember]</c> that holds the batch method's documentation comment ID.</summary>
    public const string BatchMethodIdArgument = "BatchMethodId";

    /// <summary>Starts the name of every field the generator adds, so that it can never clash with a user's member.</summary>
    public const string GeneratedFieldPrefix = "__microBatching_";

    public const string CollectionsGenericNamespace = "System.Collections.Generic";

    public const string TasksNamespace = "System.Threading.Tasks";

    public const string ThreadingNamespace = "System.Threading";
}
