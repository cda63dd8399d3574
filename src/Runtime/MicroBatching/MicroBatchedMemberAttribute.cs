using System.ComponentModel;

namespace MicroBatching;

/// <summary>
/// Marks a member the source generator emitted for a <see cref="MicroBatchedAttribute"/> method, so analyzers recognise
/// generated wrappers by this marker rather than by name.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class MicroBatchedMemberAttribute : Attribute
{
    /// <summary>Marks a generated member.</summary>
    /// <param name="batchMethodName">The name of the batch method it was generated for.</param>
    /// <param name="kind">What the member is.</param>
    public MicroBatchedMemberAttribute(string batchMethodName, MicroBatchedMemberKind kind)
    {
        BatchMethodName = batchMethodName;
        Kind = kind;
    }

    /// <summary>The name of the batch method the member was generated for.</summary>
    public string BatchMethodName { get; }

    /// <summary>What the member is.</summary>
    public MicroBatchedMemberKind Kind { get; }

    /// <summary>
    /// The documentation comment ID of the batch method (<c>M:Namespace.Type.Method(Parameters)</c>), which tells
    /// overloads apart: members generated for the same batch method carry the same ID.
    /// </summary>
    public string? BatchMethodId { get; init; }
}
