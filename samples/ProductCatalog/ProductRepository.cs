using System.Globalization;
using System.Text;
using MicroBatching;
using Microsoft.Data.Sqlite;

namespace ProductCatalog;

/// <summary>
/// Product look-ups as a DataLoader does them: concurrent <c>GetProductAsync(id)</c> calls become one
/// <c>WHERE id IN (...)</c> query. The keyed form matches results by id, so a missing product faults only its own caller
/// (with <see cref="KeyNotFoundException"/>) and a repeated id is queried once.
/// </summary>
public sealed partial class ProductRepository(CatalogDatabase database)
{
    [MicroBatched(MaxSize = 100, MaxWaitMs = 1, MaxConcurrency = 2, Name = "GetProductAsync")]
    private async Task<IReadOnlyDictionary<int, Product>> GetProductsBatchAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = database.Open();
        await using SqliteCommand command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT id, name, price FROM products WHERE id IN (");
        for (int i = 0; i < ids.Count; i++)
        {
            sql.Append(i == 0 ? "$p0" : $", $p{i}");
            command.Parameters.AddWithValue($"$p{i}", ids[i]);
        }

        command.CommandText = sql.Append(')').ToString();
        database.CountQuery();
        var products = new Dictionary<int, Product>(ids.Count);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var product = new Product(reader.GetInt32(0), reader.GetString(1), decimal.Parse(reader.GetString(2), CultureInfo.InvariantCulture));
            products[product.Id] = product;
        }

        return products;
    }

    /// <summary>The same look-up, one query per call: what the batched version replaces.</summary>
    public async Task<Product> GetProductUnbatchedAsync(int id, CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = database.Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, price FROM products WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        database.CountQuery();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Product(reader.GetInt32(0), reader.GetString(1), decimal.Parse(reader.GetString(2), CultureInfo.InvariantCulture))
            : throw new KeyNotFoundException($"No product {id}.");
    }
}
