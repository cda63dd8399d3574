// What the C# blocks of the hosting package's README take as given.
using Microsoft.Extensions.DependencyInjection;

public sealed partial class SentimentModel
{
    [MicroBatched]
    private IReadOnlyList<float> InferBatch(IReadOnlyList<string> texts) => [.. texts.Select(text => (float)text.Length)];
}

public sealed class AppBuilder
{
    public IServiceCollection Services { get; } = null!;
}

public abstract class DocumentationContext
{
    protected AppBuilder builder = null!;
}
