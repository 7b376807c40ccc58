namespace Actors.Bench;

/// <summary>The stack's database as the application's user: the credentials ./run generated in <c>&lt;data&gt;/secrets.env</c>.</summary>
public static class StackDatabase
{
    public static string ConnectionString(string dataDir, int pgPort, int maxPoolSize = 4)
    {
        var secrets = File.ReadAllLines(Path.Combine(dataDir, "secrets.env"))
            .Where(l => l.Contains('=') && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return $"Host=127.0.0.1;Port={pgPort};Database=actors;Username={secrets["PG_APP_USER"]};Password={secrets["PG_APP_PASSWORD"]};Maximum Pool Size={maxPoolSize}";
    }
}
