// What the C# blocks of docs/diagnostics/*.md take as given. Each block compiles on its own against this file.
using Microsoft.Extensions.DependencyInjection;

public sealed record User(int Id);

public sealed class UserDatabase
{
    public Task<User?> FindAsync(int id, CancellationToken cancellationToken) => Task.FromResult<User?>(new User(id));
}

public sealed class WeightStore
{
    public Task<float[]> LoadWeightsAsync() => Task.FromResult(new float[] { 1f });
}

public sealed partial class SentimentModel
{
    [MicroBatched]
    private IReadOnlyList<float> InferBatch(IReadOnlyList<string> texts) => [.. texts.Select(text => (float)text.Length)];
}

public sealed class EmbeddingClient;

// ASP.NET Core's controller result, which the blocks name but this compilation does not reference.
public interface IActionResult;

public abstract class DocumentationContext
{
    protected UserDatabase _db = null!;
    protected WeightStore _store = null!;
    protected SentimentModel _model = null!;
    protected SentimentModel model = null!;
    protected IServiceCollection services = null!;
    protected IReadOnlyList<string> reviews = [];

    protected static float Score(string text, float[] weights) => text.Length * weights[0];

    protected static IAsyncEnumerable<string> ReadReviewsAsync() => throw null!;

    protected static IActionResult Ok(object value) => null!;
}

namespace Microsoft.Extensions.DependencyInjection
{
    // Microsoft.Extensions.Http's registration of a typed client, which registers the client as transient.
    public static class HttpClientRegistration
    {
        public static IServiceCollection AddHttpClient<TClient>(this IServiceCollection services) where TClient : class => services;
    }
}
