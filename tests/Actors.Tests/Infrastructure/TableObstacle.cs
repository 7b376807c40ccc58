namespace Actors.Tests.Infrastructure;

/// <summary>
/// Makes writes to one table fail for real while it is installed: a trigger that raises for the
/// rows matching a condition (SQL over <c>NEW</c> and <c>OLD</c>), as a constraint violation, a
/// NUL that slipped through or a statement cut mid-way would. Disposing removes it.
/// </summary>
public sealed class TableObstacle : IAsyncDisposable
{
    readonly TestPostgres _postgres;
    readonly string _table;
    readonly string _name = "test_obstacle_" + Guid.NewGuid().ToString("N")[..12];
    bool _removed;

    TableObstacle(TestPostgres postgres, string table)
    {
        _postgres = postgres;
        _table = table;
    }

    /// <summary>Refuses every INSERT or UPDATE of <paramref name="table"/> for which <paramref name="condition"/> holds.</summary>
    public static async Task<TableObstacle> Install(TestPostgres postgres, string table, string condition)
    {
        var obstacle = new TableObstacle(postgres, table);
        await postgres.Scalar($"""
            CREATE FUNCTION {obstacle._name}() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF {condition} THEN RAISE EXCEPTION 'refused by a test obstacle on {table}'; END IF;
                RETURN NEW;
            END $body$
            """);
        await postgres.Scalar($"CREATE TRIGGER {obstacle._name} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {obstacle._name}()");
        return obstacle;
    }

    /// <summary>A condition on <c>orleans_grain_state</c>: the grain state being written contains <paramref name="text"/>.</summary>
    public static string StateContains(string text) =>
        $"position('{text.Replace("'", "''")}' in coalesce(convert_from(NEW.payload, 'UTF8'), '')) > 0";

    public async ValueTask DisposeAsync()
    {
        if (_removed) return;
        _removed = true;
        await _postgres.Scalar($"DROP TRIGGER IF EXISTS {_name} ON {_table}");
        await _postgres.Scalar($"DROP FUNCTION IF EXISTS {_name}()");
    }
}
