namespace MicroBatching;

/// <summary>What a member generated for a <see cref="MicroBatchedAttribute"/> method is.</summary>
/// <remarks>Also compiled into the generator and the analyzers (src/Generators/Shared/Shared.props), where it is internal.</remarks>
#if MICROBATCHING_ROSLYN
internal
#else
public
#endif
enum MicroBatchedMemberKind
{
    /// <summary>The single-item wrapper, such as <c>InferAsync(item)</c>.</summary>
    Wrapper,

    /// <summary>The many-items wrapper, such as <c>InferManyAsync(items)</c>.</summary>
    ManyWrapper,

    /// <summary>The property that exposes the batcher.</summary>
    Batcher,
}
