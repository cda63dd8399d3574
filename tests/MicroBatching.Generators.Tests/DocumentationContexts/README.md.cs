// What the README's C# blocks take as given: the types and variables they name but do not declare.
using Microsoft.Extensions.DependencyInjection;

public sealed class TextClassifier
{
    public IReadOnlyList<float> Score(IReadOnlyList<string> texts) => [.. texts.Select(text => (float)text.Length)];
}

public sealed record Verdict(bool IsSpam);

public sealed record Product(int Id);

public sealed class ProductStore
{
    public Task<IReadOnlyList<Product>> GetManyAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Product>>([.. ids.Select(id => new Product(id))]);
}

public sealed class PriceApi
{
    public Task<IReadOnlyList<decimal>> GetPricesAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<decimal>>([.. ids.Select(id => (decimal)id)]);
}

public sealed class AppBuilder
{
    public IServiceCollection Services { get; } = null!;
}

public abstract class DocumentationContext
{
    protected SentimentModel model = null!;
    protected ReviewPipeline pipeline = null!;
    protected PriceApi priceApi = null!;
    protected AppBuilder builder = null!;
    protected string text = "";
    protected string review = "";
    protected int productId;
    protected IReadOnlyList<string> reviews = [];

    protected static IAsyncEnumerable<string> ReadReviewsAsync() => throw null!;
}
