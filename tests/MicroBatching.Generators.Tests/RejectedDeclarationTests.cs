namespace MicroBatching.Generators.Tests;

/// <summary>Declarations the analyzers report get no generated code, and the generator itself never reports anything.</summary>
public sealed class RejectedDeclarationTests
{
    public static TheoryData<string, string> Rejected => new()
    {
        { "not partial", "public class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }" },
        { "enclosing type not partial", "public class Outer { public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; } }" },
        { "generic method", "public partial class C { [MicroBatched] Task<IReadOnlyList<T>> GetBatchAsync<T>(IReadOnlyList<T> ids) => null!; }" },
        { "single item", "public partial class C { [MicroBatched] Task<int> GetBatchAsync(int id) => null!; }" },
        { "ref parameter", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(ref IReadOnlyList<int> ids) => null!; }" },
        { "extra parameter", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids, int limit) => null!; }" },
        { "no results", "public partial class C { [MicroBatched] Task GetBatchAsync(IReadOnlyList<int> ids) => null!; }" },
        { "enumerable results", "public partial class C { [MicroBatched] Task<IEnumerable<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }" },
        { "keyed by other type", "public partial class C { [MicroBatched] Task<IReadOnlyDictionary<string, int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }" },
        { "instance in struct", "public partial struct S { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }" },
        { "no Batch in name", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetAllAsync(IReadOnlyList<int> ids) => null!; }" },
        { "invalid Name", "public partial class C { [MicroBatched(Name = \"not valid\")] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }" },
        { "wrapper clash", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; public Task<int> GetAsync(int id, CancellationToken ct) => null!; }" },
        { "batcher clash", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; public int GetBatcher => 0; }" },
        { "hand-written method capturing the wrapper's calls", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; public Task<int> GetAsync(int id) => null!; }" },
        { "inherited clash", "public class B { public Task<int> GetAsync(int id, CancellationToken ct) => null!; } public partial class C : B { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void RejectedDeclarationsGetNoCodeAndTheUserCodeStillCompiles(string why, string declaration)
    {
        GeneratorOutput output = GeneratorHarness.Run($$"""
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using MicroBatching;

            {{declaration}}
            """);

        Assert.True(output.GeneratedSources.IsEmpty, $"Code was generated for a declaration that is invalid ({why}).");
        Assert.Empty(output.GeneratorDiagnostics);
        Assert.Empty(output.Problems);
    }

    [Fact]
    public void OnlyTheInvalidMethodOfATypeIsSkipped()
    {
        GeneratorOutput output = GeneratorHarness.Run("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using MicroBatching;

            public partial class C
            {
                [MicroBatched] Task<IReadOnlyList<int>> GoodBatchAsync(IReadOnlyList<int> ids) => null!;
                [MicroBatched] Task<IReadOnlyList<int>> BadBatchAsync(IReadOnlyList<int> ids, int extra) => null!;
            }
            """);

        Assert.Contains("GoodBatchAsync", Assert.Single(output.GeneratedSources).HintName, StringComparison.Ordinal);
        Assert.Empty(output.Problems);
    }

    // MBAT003 is about values, not shape: the wrappers are still generated, so the callers compile and the one error the
    // build reports is MBAT003 itself, not a CS1061 at every call site.
    [Theory]
    [InlineData("MaxSize = 0")]
    [InlineData("MaxSize = 2000000")]
    [InlineData("MaxWaitMs = -1")]
    [InlineData("MaxConcurrency = 0")]
    public void OutOfRangeSettingsStillGetTheirWrappersSoCallersCompile(string setting)
    {
        GeneratorOutput output = GeneratorHarness.Run($$"""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using MicroBatching;

            public partial class C
            {
                [MicroBatched({{setting}})] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!;
            }

            public static class Caller
            {
                public static Task<int> Call(C c) => c.GetAsync(1);
            }
            """);

        Assert.Single(output.GeneratedSources);
        Assert.Empty(output.GeneratorDiagnostics);
        Assert.Empty(output.Problems);
    }
}
