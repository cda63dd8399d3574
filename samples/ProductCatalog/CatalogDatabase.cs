using Microsoft.Data.Sqlite;

namespace ProductCatalog;

/// <summary>A SQLite catalog in a temporary file, seeded with products; counts the queries it serves.</summary>
public sealed class CatalogDatabase : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.db");
    private long _queries;

    public CatalogDatabase(int products)
    {
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true }.ToString();
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price TEXT NOT NULL)";
        create.ExecuteNonQuery();

        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO products (id, name, price) VALUES ($id, $name, $price)";
        SqliteParameter id = insert.Parameters.Add("$id", SqliteType.Integer);
        SqliteParameter name = insert.Parameters.Add("$name", SqliteType.Text);
        SqliteParameter price = insert.Parameters.Add("$price", SqliteType.Text);
        for (int i = 1; i <= products; i++)
        {
            id.Value = i;
            name.Value = $"Product {i}";
            price.Value = (4.99m + i % 50).ToString(System.Globalization.CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public string ConnectionString { get; }

    public long Queries => Interlocked.Read(ref _queries);

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public void CountQuery() => Interlocked.Increment(ref _queries);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}
