namespace MicroBatching.EndToEnd.Tests.Shapes;

public partial class Embedder
{
    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 8, MaxWaitMs = 5000, MaxConcurrency = 2)]
    internal ValueTask<IReadOnlyList<int>> EmbedBatchAsync(IReadOnlyList<string> sentences, CancellationToken cancellationToken)
    {
        Log.Record(sentences);
        return new ValueTask<IReadOnlyList<int>>([.. sentences.Select(s => s.Length)]);
    }
}

public partial class Tokenizer
{
    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 4, MaxWaitMs = 5000)]
    public int[] CountBatch(IReadOnlyList<string> words)
    {
        Log.Record(words);
        return [.. words.Select(w => w.Split(' ').Length)];
    }
}

public partial class Geocoder
{
    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 4, MaxWaitMs = 5000)]
    protected async Task<List<string>> LocateBatchAsync(string[] addresses, CancellationToken ct)
    {
        Log.Record(addresses);
        await Task.Delay(1, ct);
        return [.. addresses.Select(a => a.ToUpperInvariant())];
    }
}

public partial class Translator
{
    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 4, MaxWaitMs = 5000)]
    private ValueTask<IList<string>> TranslateBatchAsync(List<string> phrases)
    {
        Log.Record(phrases);
        return new ValueTask<IList<string>>(phrases.ConvertAll(p => new string(p.Reverse().ToArray())));
    }
}

public partial class Classifier
{
    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 4, MaxWaitMs = 5000)]
    private IList<bool> ClassifyBatch(IList<int> values)
    {
        Log.Record(values);
        var results = new List<bool>();
        foreach (int value in values)
        {
            results.Add(value % 2 == 0);
        }

        return results;
    }
}

public partial class Hasher
{
    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 4, MaxWaitMs = 5000)]
    private Task<long[]> HashBatchAsync(IEnumerable<string> inputs)
    {
        string[] list = [.. inputs];
        Log.Record(list);
        return Task.FromResult(list.Select(s => (long)s.Length * 31).ToArray());
    }
}

public static partial class Prices
{
    public static BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 5, MaxWaitMs = 5000)]
    private static Task<IReadOnlyList<decimal>> QuoteBatchAsync(IReadOnlyList<int> productIds, CancellationToken ct)
    {
        Log.Record(productIds);
        return Task.FromResult<IReadOnlyList<decimal>>([.. productIds.Select(id => id * 1.5m)]);
    }
}

public partial class Repository<TKey, TEntity>
    where TKey : notnull
    where TEntity : class
{
    private readonly Func<TKey, TEntity> _load;

    public Repository(Func<TKey, TEntity> load) => _load = load;

    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 3, MaxWaitMs = 5000)]
    private Task<IReadOnlyList<TEntity>> FindBatchAsync(IReadOnlyList<TKey> keys, CancellationToken ct)
    {
        Log.Record(keys);
        return Task.FromResult<IReadOnlyList<TEntity>>([.. keys.Select(_load)]);
    }
}

public partial class Outer
{
    public partial class Inner
    {
        public BatchLog Log { get; } = new();

        [MicroBatched(MaxSize = 2, MaxWaitMs = 5000)]
        public Task<IReadOnlyList<int>> DoubleBatchAsync(IReadOnlyList<int> values, CancellationToken ct)
        {
            Log.Record(values);
            return Task.FromResult<IReadOnlyList<int>>([.. values.Select(v => v * 2)]);
        }
    }
}

public sealed partial record Scorer(double Weight)
{
    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 3, MaxWaitMs = 5000)]
    private Task<IReadOnlyList<double>> ScoreBatchAsync(IReadOnlyList<double> values, CancellationToken ct)
    {
        Log.Record(values);
        return Task.FromResult<IReadOnlyList<double>>([.. values.Select(v => v * Weight)]);
    }
}

public readonly partial struct Checksums
{
    public static BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 3, MaxWaitMs = 5000)]
    public static uint[] ComputeBatch(IReadOnlyList<byte[]> blocks)
    {
        Log.Record(blocks);
        return [.. blocks.Select(block => (uint)block.Sum(b => b))];
    }
}

public sealed record User(int Id, string Name);

public partial class UserLoader
{
    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 10, MaxWaitMs = 5000)]
    private Task<IReadOnlyDictionary<int, User>> LoadUsersBatchAsync(IReadOnlyList<int> ids, CancellationToken ct)
    {
        Log.Record(ids);
        // Negative ids do not exist.
        return Task.FromResult<IReadOnlyDictionary<int, User>>(
            ids.Where(id => id >= 0).ToDictionary(id => id, id => new User(id, $"user{id}")));
    }
}

public partial class SettingsStore
{
    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 4, MaxWaitMs = 5000)]
    private ValueTask<Dictionary<string, string>> ReadBatchAsync(IReadOnlyList<string> keys, CancellationToken ct)
    {
        Log.Record(keys);
        return new ValueTask<Dictionary<string, string>>(keys.ToDictionary(k => k, k => k.ToUpperInvariant()));
    }
}

public static partial class Countries
{
    [MicroBatched(MaxSize = 4, MaxWaitMs = 1)]
    public static Dictionary<string, string> NameBatch(string[] codes) =>
        codes.Where(c => c.Length == 2).ToDictionary(c => c, c => $"Country {c}");
}

public partial class Search
{
    [MicroBatched(Name = "FindByTextAsync", MaxSize = 2, MaxWaitMs = 1)]
    private Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<string> queries, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<int>>([.. queries.Select(q => q.Length)]);

    [MicroBatched(Name = "FindByVector", MaxSize = 2, MaxWaitMs = 1)]
    private Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<float[]> vectors, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<int>>([.. vectors.Select(v => v.Length)]);

    // The generated FindByTextAsync(string, CancellationToken) overloads this one.
    public Task<int> FindByTextAsync(string query, int limit) => Task.FromResult(Math.Min(query.Length, limit));
}

public partial class BoundedClient
{
    [MicroBatched(MaxSize = 8, MaxWaitMs = 60_000, QueueCapacity = 2, QueueFullMode = QueueFullMode.Reject)]
    public ValueTask<IReadOnlyList<int>> EchoBatchAsync(IReadOnlyList<int> values) => new(values);
}

public partial class NumberParser
{
    public BatchLog Log { get; } = new();

    [MicroBatched(MaxSize = 4, MaxWaitMs = 60_000)]
    private IReadOnlyList<BatchItemResult<int>> ParseBatch(IReadOnlyList<string> texts)
    {
        Log.Record(texts);
        return [.. texts.Select(text => int.TryParse(text, out int value)
            ? BatchItemResult<int>.Success(value)
            : BatchItemResult<int>.Failure(new FormatException($"'{text}' is not a number.")))];
    }
}
