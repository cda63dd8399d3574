// Pricing 1,000 orders of 8 lines each against a SQLite catalog. Each line looks its product up on its own, as request
// handlers and GraphQL resolvers do; with [MicroBatched] the look-ups of concurrent lines share queries.
using System.Diagnostics;
using ProductCatalog;

const int Orders = 1_000;
const int LinesPerOrder = 8;
const int CatalogSize = 10_000;

using var database = new CatalogDatabase(CatalogSize);
var repository = new ProductRepository(database);
int[][] orders = [.. Enumerable.Range(0, Orders).Select(order => Enumerable.Range(0, LinesPerOrder).Select(line => 1 + (order * 7919 + line * 104_729) % CatalogSize).ToArray())];

await Price("one query per line", id => repository.GetProductUnbatchedAsync(id));
await Price("[MicroBatched]    ", id => repository.GetProductAsync(id));

// A missing product faults only the line that asked for it; the other lines of the same batch are priced.
Task<Product> missing = repository.GetProductAsync(CatalogSize + 1);
Task<Product> present = repository.GetProductAsync(42);
Console.WriteLine($"product 42: {(await present).Name}; product {CatalogSize + 1}: " +
                  $"{await missing.ContinueWith(t => t.Exception?.InnerException?.GetType().Name ?? "found", TaskScheduler.Default)}");

async Task Price(string label, Func<int, Task<Product>> getProduct)
{
    long queriesBefore = database.Queries;
    var stopwatch = Stopwatch.StartNew();
    decimal[] totals = await Task.WhenAll(orders.Select(async lines =>
    {
        Product[] products = await Task.WhenAll(lines.Select(getProduct));
        return products.Sum(product => product.Price);
    }));
    stopwatch.Stop();

    // Every line got its own product.
    for (int order = 0; order < Orders; order++)
    {
        decimal expected = orders[order].Sum(id => 4.99m + id % 50);
        if (totals[order] != expected)
        {
            throw new InvalidOperationException($"Order {order} was priced {totals[order]}, not {expected}.");
        }
    }

    Console.WriteLine($"{label}: {Orders * LinesPerOrder} look-ups in {stopwatch.Elapsed.TotalMilliseconds,6:F0} ms, {database.Queries - queriesBefore,5} queries, total {totals.Sum():N2}");
}
