namespace MicroBatching.Tests.Support;

/// <summary>Tests that measure the whole process (allocations, thread-pool load) and must not share it with others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NonParallelCollection
{
    public const string Name = "Non-parallel";
}
