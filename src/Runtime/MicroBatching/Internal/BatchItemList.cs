using System.Collections;
using System.Runtime.CompilerServices;

namespace MicroBatching.Internal;

/// <summary>
/// The read-only list a batch function receives. It is a view over a buffer the batch reuses, so building it allocates
/// nothing; it refuses access once the batch function's task has completed rather than show another batch's items.
/// </summary>
internal sealed class BatchItemList<TItem> : IList<TItem>, IReadOnlyList<TItem>
{
    private TItem[] _buffer;
    private int _count = -1;

    public BatchItemList(int initialCapacity) => _buffer = new TItem[initialCapacity];

    /// <summary>Empties the list and makes room for <paramref name="capacity"/> items.</summary>
    public void Open(int capacity)
    {
        if (_buffer.Length < capacity)
        {
            _buffer = new TItem[capacity];
        }

        _count = 0;
    }

    public void Add(TItem item) => _buffer[_count++] = item;

    /// <summary>Invalidates the list and drops the references it holds.</summary>
    public void Close()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<TItem>() && _count > 0)
        {
            Array.Clear(_buffer, 0, _count);
        }

        _count = -1;
    }

    /// <summary>The count without the validity check, for the batch that owns the list.</summary>
    public int UncheckedCount => _count;

    public int Count
    {
        get
        {
            int count = _count;
            if (count < 0)
            {
                ThrowHelper.ThrowItemListExpired();
            }

            return count;
        }
    }

    public TItem this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The batch has {_count} items.");
            }

            return _buffer[index];
        }
        set => throw ReadOnly();
    }

    public bool IsReadOnly => true;

    public bool Contains(TItem item) => IndexOf(item) >= 0;

    public int IndexOf(TItem item) => Array.IndexOf(_buffer, item, 0, Count);

    public void CopyTo(TItem[] array, int arrayIndex) => Array.Copy(_buffer, 0, array, arrayIndex, Count);

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<TItem> IEnumerable<TItem>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<TItem>.Add(TItem item) => throw ReadOnly();

    void ICollection<TItem>.Clear() => throw ReadOnly();

    bool ICollection<TItem>.Remove(TItem item) => throw ReadOnly();

    void IList<TItem>.Insert(int index, TItem item) => throw ReadOnly();

    void IList<TItem>.RemoveAt(int index) => throw ReadOnly();

    private static NotSupportedException ReadOnly() => new("The item list passed to a batch function is read-only.");

    public struct Enumerator : IEnumerator<TItem>
    {
        private readonly BatchItemList<TItem> _list;
        private readonly int _count;
        private int _index;

        internal Enumerator(BatchItemList<TItem> list)
        {
            _list = list;
            _count = list.Count;
            _index = -1;
        }

        public readonly TItem Current => _list._buffer[_index];

        readonly object? IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_list._count != _count)
            {
                ThrowHelper.ThrowItemListExpired();
            }

            return ++_index < _count;
        }

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
