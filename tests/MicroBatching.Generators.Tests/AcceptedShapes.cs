namespace MicroBatching.Generators.Tests;

/// <summary>One source per accepted batch-method shape; each has a golden file and an end-to-end counterpart.</summary>
internal static class AcceptedShapes
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["ReadOnlyListTask"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public sealed partial class SentimentModel
            {
                [MicroBatched(MaxSize = 32, MaxWaitMs = 10)]
                private Task<IReadOnlyList<float>> InferBatchAsync(IReadOnlyList<string> texts, CancellationToken ct) =>
                    Task.FromResult<IReadOnlyList<float>>(new float[texts.Count]);
            }
            """,

        ["ReadOnlyListValueTask"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public partial class Embedder
            {
                [MicroBatched(MaxSize = 64, MaxWaitMs = 2, MaxConcurrency = 4)]
                internal ValueTask<IReadOnlyList<double[]>> EmbedBatchAsync(IReadOnlyList<string> sentences, CancellationToken cancellationToken) =>
                    new(new double[sentences.Count][]);
            }
            """,

        ["QueueSettings"] = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public sealed partial class PriceClient
            {
                [MicroBatched(DispatchMode = BatchDispatchMode.Adaptive, QueueCapacity = 512, QueueFullMode = QueueFullMode.Reject)]
                private Task<IReadOnlyList<decimal>> PriceBatchAsync(IReadOnlyList<int> ids) =>
                    Task.FromResult<IReadOnlyList<decimal>>(new decimal[ids.Count]);
            }
            """,

        ["CostBound"] = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public sealed partial class Embedder
            {
                [MicroBatched(MaxCost = 4096, CostMethod = nameof(CountTokens))]
                private Task<IReadOnlyList<float>> EmbedBatchAsync(IReadOnlyList<string> texts) =>
                    Task.FromResult<IReadOnlyList<float>>(new float[texts.Count]);

                private int CountTokens(string text) => text.Length / 4 + 1;

                [MicroBatched(MaxCost = 64, CostMethod = nameof(Size))]
                public static IReadOnlyList<int> ChecksumBatch(IReadOnlyList<byte[]> blobs) => new int[blobs.Count];

                private static int Size(object blob) => ((byte[])blob).Length;
            }
            """,

        ["ItemResults"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public sealed partial class Parser
            {
                [MicroBatched(MaxSize = 16)]
                private Task<BatchItemResult<int>[]> ParseBatchAsync(IReadOnlyList<string> texts, CancellationToken ct) =>
                    Task.FromResult(new BatchItemResult<int>[texts.Count]);
            }
            """,

        ["SynchronousArray"] = """
            using System.Collections.Generic;
            using MicroBatching;

            namespace Shapes;

            public partial class Tokenizer
            {
                [MicroBatched]
                public int[] CountBatch(IReadOnlyList<string> words)
                {
                    var counts = new int[words.Count];
                    for (int i = 0; i < counts.Length; i++) counts[i] = words[i].Length;
                    return counts;
                }
            }
            """,

        ["ArrayParameterListResult"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public partial class Geocoder
            {
                [MicroBatched(MaxSize = 100)]
                protected async Task<List<string>> LocateBatchAsync(string[] addresses, CancellationToken ct)
                {
                    await Task.Yield();
                    return new List<string>(addresses);
                }
            }
            """,

        ["ListParameterIListResult"] = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public partial class Translator
            {
                [MicroBatched]
                private ValueTask<IList<string>> TranslateBatchAsync(List<string> phrases) =>
                    new(phrases.ConvertAll(p => p.ToUpperInvariant()));
            }
            """,

        ["IListParameterSynchronousIList"] = """
            using System.Collections.Generic;
            using MicroBatching;

            namespace Shapes;

            public partial class Classifier
            {
                [MicroBatched(MaxWaitMs = 0)]
                private IList<bool> ClassifyBatch(IList<int> values)
                {
                    var results = new List<bool>();
                    foreach (int value in values) results.Add(value % 2 == 0);
                    return results;
                }
            }
            """,

        ["EnumerableParameterNoToken"] = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public partial class Hasher
            {
                [MicroBatched]
                private Task<long[]> HashBatchAsync(IEnumerable<string> inputs) =>
                    Task.FromResult(inputs.Select(s => (long)s.GetHashCode()).ToArray());
            }
            """,

        ["StaticMethodInStaticClass"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public static partial class Prices
            {
                [MicroBatched(MaxSize = 50, MaxWaitMs = 5)]
                private static Task<IReadOnlyList<decimal>> QuoteBatchAsync(IReadOnlyList<int> productIds, CancellationToken ct) =>
                    Task.FromResult<IReadOnlyList<decimal>>(new decimal[productIds.Count]);
            }
            """,

        ["GenericContainingType"] = """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public partial class Repository<TKey, TEntity>
                where TKey : IEquatable<TKey>
                where TEntity : class
            {
                [MicroBatched]
                private Task<IReadOnlyList<TEntity?>> FindBatchAsync(IReadOnlyList<TKey> keys, CancellationToken ct) =>
                    Task.FromResult<IReadOnlyList<TEntity?>>(new TEntity?[keys.Count]);
            }
            """,

        ["NestedTypes"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public partial class Outer
            {
                internal partial class Middle<T>
                {
                    private partial class Inner
                    {
                        [MicroBatched]
                        public Task<IReadOnlyList<T>> EchoBatchAsync(IReadOnlyList<T> values, CancellationToken ct) =>
                            Task.FromResult(values);
                    }
                }
            }
            """,

        ["Record"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public sealed partial record Scorer(double Weight)
            {
                [MicroBatched(MaxSize = 8)]
                private Task<IReadOnlyList<double>> ScoreBatchAsync(IReadOnlyList<double> values, CancellationToken ct)
                {
                    var scores = new double[values.Count];
                    for (int i = 0; i < scores.Length; i++) scores[i] = values[i] * Weight;
                    return Task.FromResult<IReadOnlyList<double>>(scores);
                }
            }
            """,

        ["StaticMethodInStructs"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public readonly partial struct Checksums
            {
                [MicroBatched]
                public static uint[] ComputeBatch(IReadOnlyList<byte[]> blocks)
                {
                    var sums = new uint[blocks.Count];
                    for (int i = 0; i < sums.Length; i++) foreach (byte b in blocks[i]) sums[i] += b;
                    return sums;
                }
            }

            public partial record struct Parity
            {
                [MicroBatched]
                internal static ValueTask<IReadOnlyList<bool>> CheckBatchAsync(IReadOnlyList<int> values, CancellationToken ct) =>
                    new(new bool[values.Count]);
            }
            """,

        ["KeyedReadOnlyDictionary"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public sealed record User(int Id, string Name);

            public partial class UserLoader
            {
                [MicroBatched(MaxSize = 100, MaxWaitMs = 1)]
                private Task<IReadOnlyDictionary<int, User>> LoadUsersBatchAsync(IReadOnlyList<int> ids, CancellationToken ct)
                {
                    var users = new Dictionary<int, User>();
                    foreach (int id in ids) users[id] = new User(id, "user" + id);
                    return Task.FromResult<IReadOnlyDictionary<int, User>>(users);
                }
            }
            """,

        ["KeyedDictionaryValueTask"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public partial class SettingsStore
            {
                [MicroBatched]
                private ValueTask<Dictionary<string, string>> ReadBatchAsync(IReadOnlyList<string> keys, CancellationToken ct) =>
                    new(new Dictionary<string, string>());
            }
            """,

        ["KeyedSynchronousDictionary"] = """
            using System.Collections.Generic;
            using MicroBatching;

            namespace Shapes;

            public static partial class Countries
            {
                [MicroBatched]
                public static Dictionary<string, string> NameBatch(string[] codes) => new Dictionary<string, string>();
            }
            """,

        ["NameOverrideAndOverloads"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            public partial class Search
            {
                [MicroBatched(Name = "FindByTextAsync")]
                private Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<string> queries, CancellationToken ct) =>
                    Task.FromResult<IReadOnlyList<int>>(new int[queries.Count]);

                [MicroBatched(Name = "FindByVector")]
                private Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<float[]> vectors, CancellationToken ct) =>
                    Task.FromResult<IReadOnlyList<int>>(new int[vectors.Count]);

                // A wrapper may overload an existing member with a different signature.
                public Task<int> FindByTextAsync(string query, int limit) => Task.FromResult(limit);
            }
            """,

        ["InternalItemType"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            namespace Shapes;

            internal sealed record Order(int Id);

            public partial class OrderService
            {
                private sealed record Receipt(int OrderId);

                [MicroBatched]
                private Task<IReadOnlyList<bool>> ValidateBatchAsync(IReadOnlyList<Order> orders, CancellationToken ct) =>
                    Task.FromResult<IReadOnlyList<bool>>(new bool[orders.Count]);

                [MicroBatched]
                private Task<IReadOnlyList<Receipt>> PayBatchAsync(IReadOnlyList<int> orderIds, CancellationToken ct) =>
                    Task.FromResult<IReadOnlyList<Receipt>>(new Receipt[orderIds.Count]);
            }
            """,

        ["GlobalNamespaceAndKeywordNames"] = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            public partial class Lookup
            {
                [MicroBatched]
                private Task<IReadOnlyList<string>> BatchResolveAsync(IReadOnlyList<string> @classes, CancellationToken ct) =>
                    Task.FromResult(@classes);
            }
            """,
    };
}
