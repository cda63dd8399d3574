#if !NET9_0_OR_GREATER
namespace System.Runtime.CompilerServices;

// The compiler (C# 13 and later) reads this attribute by name; .NET 9 has it built in. It lets an async lambda, which
// fits both a Task- and a ValueTask-returning function, bind to the ValueTask overload instead of being ambiguous.
// Also compiled into MicroBatching.Hosting.
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class OverloadResolutionPriorityAttribute(int priority) : Attribute
{
    public int Priority { get; } = priority;
}
#endif
