using MicroBatching.Analyzers.CodeFixes;
using MicroBatching.Analyzers.Lifetimes;

namespace MicroBatching.Analyzers.Tests;

public sealed class ShortLivedBatcherOwnerTests
{
    private const string Types = """
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.DependencyInjection.Extensions;

        public interface IEmbedder { }

        public partial class EmbeddingClient : IEmbedder
        {
            [MicroBatched]
            private Task<IReadOnlyList<float>> EmbedBatchAsync(IReadOnlyList<string> texts) => Task.FromResult<IReadOnlyList<float>>(new float[texts.Count]);
        }

        public partial class StaticOnly
        {
            [MicroBatched]
            private static Task<IReadOnlyList<float>> EmbedBatchAsync(IReadOnlyList<string> texts) => Task.FromResult<IReadOnlyList<float>>(new float[texts.Count]);
        }

        public class Plain { }

        public interface IHttpClientBuilder { }

        """;

    private const string HttpClientExtensions = """
        namespace Microsoft.Extensions.DependencyInjection
        {
            public static class HttpClientFactoryServiceCollectionExtensions
            {
                public static IHttpClientBuilder AddHttpClient<TClient>(this IServiceCollection services) where TClient : class => null!;
            }
        }

        """;

    private static Task Verify(string registrations) => AnalyzerVerifier<ShortLivedBatcherOwnerAnalyzer>.VerifyAsync(Types + $$"""
        public static class Startup
        {
            public static void Configure(IServiceCollection services)
            {
                {{registrations}}
            }
        }
        """ + HttpClientExtensions);

    [Theory]
    [InlineData("{|MBAT202:services.AddTransient<EmbeddingClient>()|};")]
    [InlineData("{|MBAT202:services.AddScoped<EmbeddingClient>()|};")]
    [InlineData("{|MBAT202:services.AddTransient<IEmbedder, EmbeddingClient>()|};")]
    [InlineData("{|MBAT202:services.AddScoped(typeof(EmbeddingClient))|};")]
    [InlineData("{|MBAT202:services.AddTransient(typeof(IEmbedder), typeof(EmbeddingClient))|};")]
    [InlineData("{|MBAT202:services.TryAddTransient<EmbeddingClient>()|};")]
    [InlineData("{|MBAT202:services.TryAddScoped<IEmbedder, EmbeddingClient>()|};")]
    [InlineData("{|MBAT202:services.AddHttpClient<EmbeddingClient>()|};")]
    public Task ReportsATransientOrScopedRegistration(string registration) => Verify(registration);

    [Theory]
    [InlineData("services.AddSingleton<EmbeddingClient>();")]
    [InlineData("services.TryAddSingleton<IEmbedder, EmbeddingClient>();")]
    [InlineData("services.AddSingleton(typeof(EmbeddingClient));")]
    [InlineData("services.AddTransient<StaticOnly>();")]
    [InlineData("services.AddScoped<Plain>();")]
    [InlineData("services.AddTransient<IEmbedder>(_ => new EmbeddingClient()); // a factory: its type is not known here")]
    [InlineData("services.AddSingleton<IEmbedder, EmbeddingClient>();")]
    [InlineData("services.AddSingleton<IEmbedder>(new EmbeddingClient());")]
    [InlineData("services.AddSingleton(typeof(IEmbedder), typeof(EmbeddingClient));")]
    [InlineData("services.TryAddSingleton(typeof(EmbeddingClient));")]
    [InlineData("services.AddSingleton<EmbeddingClient>(); services.AddTransient<IEmbedder>(sp => sp.GetRequiredService<EmbeddingClient>());")]
    [InlineData("services.AddKeyedSingleton<EmbeddingClient>(\"primary\");")]
    [InlineData("services.AddScoped(typeof(Plain));")]
    [InlineData("services.AddTransient<Plain>(); services.AddSingleton<EmbeddingClient>();")]
    [InlineData("var client = new EmbeddingClient(); services.AddSingleton(client);")]
    public Task LookAlikesStaySilent(string registration) => Verify(registration);

    [Fact]
    public Task MessageNamesTheTypeAndTheLifetime() => AnalyzerVerifier<ShortLivedBatcherOwnerAnalyzer>.VerifyAsync(Types + """
        public static class Startup
        {
            public static void Configure(IServiceCollection services) => {|#0:services.AddScoped<EmbeddingClient>()|};
        }
        """,
        AnalyzerVerifier<ShortLivedBatcherOwnerAnalyzer>.Diagnostic("MBAT202").WithLocation(0).WithArguments("EmbeddingClient", "scoped"));

    [Theory]
    [InlineData("services.AddTransient<IEmbedder, EmbeddingClient>()", "services.AddSingleton<IEmbedder, EmbeddingClient>()")]
    [InlineData("services.AddScoped(typeof(EmbeddingClient))", "services.AddSingleton(typeof(EmbeddingClient))")]
    [InlineData("services.TryAddScoped<EmbeddingClient>()", "services.TryAddSingleton<EmbeddingClient>()")]
    public Task TheFixRegistersASingleton(string registration, string fixedRegistration) =>
        CodeFixVerifier<ShortLivedBatcherOwnerAnalyzer, RegisterAsSingletonCodeFixProvider>.VerifyAsync(Types + $$"""
        public static class Startup
        {
            public static void Configure(IServiceCollection services) => {|MBAT202:{{registration}}|};
        }
        """, Types + $$"""
        public static class Startup
        {
            public static void Configure(IServiceCollection services) => {{fixedRegistration}};
        }
        """);

    [Fact]
    public Task ATypedHttpClientGetsNoFix() => CodeFixVerifier<ShortLivedBatcherOwnerAnalyzer, RegisterAsSingletonCodeFixProvider>.VerifyNoFixAsync(Types + """
        public static class Startup
        {
            public static void Configure(IServiceCollection services) => {|MBAT202:services.AddHttpClient<EmbeddingClient>()|};
        }
        """ + HttpClientExtensions);
}
