using System.Collections.Concurrent;

namespace MicroBatching.EndToEnd.Tests.Shapes;

/// <summary>Records what each batch method was called with, so tests can check that batching happened.</summary>
public sealed class BatchLog
{
    private readonly ConcurrentQueue<object[]> _calls = new();

    public int CallCount => _calls.Count;

    public IReadOnlyList<object[]> Calls => [.. _calls];

    public void Record<T>(IEnumerable<T> items) => _calls.Enqueue([.. items.Cast<object>()]);
}
