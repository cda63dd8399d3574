namespace MicroBatching.Analyzers.Tests.Verifiers;

/// <summary>Two overloads of one batch method, told apart only by their wrapper names.</summary>
internal static class OverloadedBatchMethods
{
    public const string Source = """
        public partial class Search
        {
            [MicroBatched(Name = "FindByTextAsync")]
            private Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<string> queries) =>
                Task.FromResult<IReadOnlyList<int>>(new int[queries.Count]);

            [MicroBatched(Name = "FindByVectorAsync")]
            private Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<float[]> vectors) =>
                Task.FromResult<IReadOnlyList<int>>(new int[vectors.Count]);
        }

        """;
}
