namespace MicroBatching.SourceGeneration.Models;

/// <summary>Everything the emitter needs for one batch method: plain strings, numbers and enums, so it compares by value.</summary>
/// <remarks>
/// <see cref="ItemType"/> is the batcher's item type; <see cref="SourceItemType"/> is the element type as the batch method's
/// list parameter declares it. They differ only for a keyed method with a nullable-annotated key, which the batcher strips.
/// <see cref="DispatchMode"/> and <see cref="QueueFullMode"/> are enum member names, null for the defaults, so that the
/// code of a method that sets neither is unchanged. <see cref="ItemCost"/> is set only when <c>CostMethod</c> names a
/// usable method (MBAT003 reports the others).
/// </remarks>
internal sealed record BatchMethodModel(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string BatchMethodName,
    string BatchMethodId,
    string BatcherName,
    bool IsStatic,
    string Accessibility,
    string ItemType,
    string SourceItemType,
    string ResultType,
    ItemListKind ItemListKind,
    bool HasCancellationToken,
    ReturnAwaitKind ReturnAwaitKind,
    ResultCollectionKind ResultCollectionKind,
    string WrapperName,
    string ManyName,
    string BatcherPropertyName,
    string ItemParameterName,
    string ItemsParameterName,
    int MaxSize,
    int MaxWaitMs,
    int MaxConcurrency,
    string? DispatchMode = null,
    int QueueCapacity = 0,
    string? QueueFullMode = null,
    bool HasItemResults = false,
    int MaxCost = 0,
    ItemCostCall? ItemCost = null)
{
    public bool IsKeyed => ResultCollectionKind is ResultCollectionKind.IReadOnlyDictionary or ResultCollectionKind.Dictionary;

    /// <summary>The type of one element of the batch method's result list: <see cref="ResultType"/>, or its per-item outcome.</summary>
    public string ResultElementType => HasItemResults ? $"global::MicroBatching.BatchItemResult<{ResultType}>" : ResultType;
}

/// <summary>How the generated batcher calls the method that measures an item.</summary>
internal sealed record ItemCostCall(string MethodName, bool IsStatic);
