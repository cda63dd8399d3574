using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MicroBatching.Hosting.Tests;

public sealed class AddMicroBatcherTests
{
    private sealed class PriceCatalog
    {
        public int PriceOf(int productId) => productId * 100;
    }

    [Fact]
    public async Task NamedBatcherIsASingletonByKeyAndByTypeAndGetsTheContainer()
    {
        await using TestHost host = TestHost.Build("{}", services =>
        {
            services.AddSingleton<PriceCatalog>();
            services.AddMicroBatcher<int, int>("prices", (provider, ids, _) =>
            {
                PriceCatalog catalog = provider.GetRequiredService<PriceCatalog>();
                return ValueTask.FromResult<IReadOnlyList<int>>([.. ids.Select(catalog.PriceOf)]);
            }, options => options.MaxBatchSize = 2);
        });
        await host.StartAsync();

        MicroBatcher<int, int> byKey = host.Services.GetRequiredKeyedService<MicroBatcher<int, int>>("prices");
        MicroBatcher<int, int> byType = host.Services.GetRequiredService<MicroBatcher<int, int>>();
        int[] prices = await Task.WhenAll(byKey.ProcessAsync(1).AsTask(), byKey.ProcessAsync(2).AsTask()).WithTimeout();

        Assert.Same(byKey, byType);
        Assert.Equal("prices", byKey.Name);
        Assert.Equal([100, 200], prices);
        Assert.Equal(1, byKey.GetStatistics().BatchesDispatched);
        await host.StopAsync();
    }

    [Fact]
    public async Task ConfigurationOverridesTheCodeForThatName()
    {
        await using TestHost host = TestHost.Build("""
            { "MicroBatching": { "Batchers": { "prices": { "MaxBatchSize": 3 } } } }
            """, services => services.AddMicroBatcher<int, int>("prices",
                (_, ids, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. ids]),
                options => { options.MaxBatchSize = 2; options.MaxWaitTime = TimeSpan.FromHours(1); }));

        // Resolved before the host starts: configuration applies all the same.
        MicroBatcher<int, int> batcher = host.Services.GetRequiredService<MicroBatcher<int, int>>();
        Task<int[]> calls = Task.WhenAll(Enumerable.Range(1, 3).Select(i => batcher.ProcessAsync(i).AsTask()));
        await calls.WithTimeout();

        Assert.Equal(1, batcher.GetStatistics().BatchesDispatched);
    }

    [Fact]
    public async Task TheFirstBatcherOfATypeIsTheUnkeyedOne()
    {
        var services = new ServiceCollection();
        services.AddMicroBatcher<int, int>("first", (_, ids, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. ids]));
        services.AddMicroBatcher<int, int>("second", (_, ids, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. ids]));
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal("first", provider.GetRequiredService<MicroBatcher<int, int>>().Name);
        Assert.Equal("second", provider.GetRequiredKeyedService<MicroBatcher<int, int>>("second").Name);
    }

    [Fact]
    public void AddingMicroBatchingTwiceRegistersItsServicesOnce()
    {
        var services = new ServiceCollection();
        services.AddMicroBatching().AddMicroBatching();

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(MicroBatcherRegistry));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NamelessBatcherIsRejected(string? name)
    {
        var services = new ServiceCollection();

        Assert.ThrowsAny<ArgumentException>(() =>
            services.AddMicroBatcher<int, int>(name!, (_, ids, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. ids])));
    }

    private sealed class ProductStore
    {
        public Task<IReadOnlyList<string>> GetManyAsync(IReadOnlyList<int> ids, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<string>>([.. ids.Select(id => $"product {id}")]);
    }

    [Fact]
    public async Task ATaskReturningStoreRegistersAsTheReadmeShows()
    {
        await using TestHost host = TestHost.Build("{}", services =>
        {
            services.AddSingleton<ProductStore>();
            services.AddMicroBatcher<int, string>("products",
                (services, ids, ct) => services.GetRequiredService<ProductStore>().GetManyAsync(ids, ct), options => options.MaxBatchSize = 1);
        });
        await host.StartAsync();

        var batcher = host.Services.GetRequiredKeyedService<MicroBatcher<int, string>>("products");
        Assert.Equal("product 3", await batcher.ProcessAsync(3).WithTimeout());
    }
}
