using Npgsql;
using NpgsqlTypes;

namespace Actors.Grains.Platform;

/// <summary>Named parameters of nullable columns, typed so a null is sent as the column's type.</summary>
public static class PgParameters
{
    public static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Time(string name, DateTimeOffset? value) => new(name, NpgsqlDbType.TimestampTz) { Value = (object?)value ?? DBNull.Value };
}
