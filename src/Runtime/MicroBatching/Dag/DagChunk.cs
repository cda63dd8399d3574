using System.Collections;

namespace MicroBatching;

/// <summary>The inputs of one node call in a <see cref="BatchDagRun"/>: a slice of the inputs still live at that node.</summary>
public readonly struct DagChunk
{
    private readonly int[] _indices;
    private readonly int _offset;

    internal DagChunk(int[] indices, int offset, int count)
    {
        _indices = indices;
        _offset = offset;
        Count = count;
    }

    /// <summary>How many inputs the call takes.</summary>
    public int Count { get; }

    /// <summary>The run's input index of the call's <paramref name="position"/>-th item.</summary>
    public int this[int position] => (uint)position < (uint)Count ? _indices[_offset + position] : throw new ArgumentOutOfRangeException(nameof(position));

    /// <summary>The values of <paramref name="column"/> for this call's inputs, in call order; a view, not a copy.</summary>
    public IReadOnlyList<T> Of<T>(DagColumn<T> column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return new ColumnSlice<T>(column, this);
    }

    private sealed class ColumnSlice<T>(DagColumn<T> column, DagChunk chunk) : IReadOnlyList<T>
    {
        public int Count => chunk.Count;

        public T this[int index] => column[chunk[index]];

        public IEnumerator<T> GetEnumerator()
        {
            for (int i = 0; i < chunk.Count; i++)
            {
                yield return column[chunk[i]];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
