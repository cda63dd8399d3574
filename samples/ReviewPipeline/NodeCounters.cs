using System.Collections.Concurrent;

namespace ReviewPipeline;

/// <summary>How many calls each node received and how many items they carried.</summary>
public sealed class NodeCounters
{
    private readonly ConcurrentDictionary<string, StrongBox> _nodes = new();

    public void Record(string node, int items)
    {
        StrongBox box = _nodes.GetOrAdd(node, _ => new StrongBox());
        Interlocked.Increment(ref box.Calls);
        Interlocked.Add(ref box.Items, items);
    }

    public IReadOnlyList<(string Node, long Calls, long Items)> Snapshot() =>
        [.. _nodes.Select(pair => (pair.Key, Volatile.Read(ref pair.Value.Calls), Volatile.Read(ref pair.Value.Items)))];

    public long CallsOf(string node) => _nodes.TryGetValue(node, out StrongBox? box) ? Volatile.Read(ref box.Calls) : 0;

    public void Reset() => _nodes.Clear();

    private sealed class StrongBox
    {
        public long Calls;
        public long Items;
    }
}
