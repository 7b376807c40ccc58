using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Platform;

/// <summary>
/// Array parameters for the stores' many-rows-one-statement writes (<c>unnest($1::text[], …)</c>):
/// typed explicitly, so an array of nulls or an empty one still binds.
/// </summary>
public static class PgArrays
{
    public static NpgsqlParameter Texts(IEnumerable<string?> values) => Of(values.ToArray(), NpgsqlDbType.Text);

    public static NpgsqlParameter Longs(IEnumerable<long> values) => Of(values.ToArray(), NpgsqlDbType.Bigint);

    public static NpgsqlParameter Ints(IEnumerable<int> values) => Of(values.ToArray(), NpgsqlDbType.Integer);

    public static NpgsqlParameter Bools(IEnumerable<bool> values) => Of(values.ToArray(), NpgsqlDbType.Boolean);

    public static NpgsqlParameter Times(IEnumerable<DateTimeOffset> values) => Of(values.ToArray(), NpgsqlDbType.TimestampTz);

    /// <summary>Times some of which are null (a bid not accepted yet).</summary>
    public static NpgsqlParameter Times(IEnumerable<DateTimeOffset?> values) => Of(values.ToArray(), NpgsqlDbType.TimestampTz);

    public static NpgsqlParameter Longs(IEnumerable<long?> values) => Of(values.ToArray(), NpgsqlDbType.Bigint);

    public static NpgsqlParameter Of(Array values, NpgsqlDbType element) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | element };
}
