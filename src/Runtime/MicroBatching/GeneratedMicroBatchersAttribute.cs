using System.ComponentModel;

namespace MicroBatching;

/// <summary>
/// Marks a type whose instance <see cref="MicroBatchedAttribute"/> methods have generated batchers. The hosting package
/// looks for it on singleton services, so that each host's <see cref="MicroBatcherRegistry"/> creates their batchers.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class GeneratedMicroBatchersAttribute : Attribute
{
}
