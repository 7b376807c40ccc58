using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Actors.Tests.Infrastructure;
using Npgsql;

namespace Actors.Tests.Platform;

/// <summary>
/// Issue 12, "no live secret stored in clear": runs a flow that makes every kind of secret the
/// system hands out, then reads every row of every table and every log line the silo and the API
/// wrote so far (this test's and every other test's of the collection) and finds none of them.
/// The mail drop (<c>.eml</c> files) is the humans' mailbox itself and is not searched.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SecretsAtRestTests(ActorsStack stack)
{
    readonly Dictionary<string, string> _secrets = [];
    string? _offsetAgentId;

    void Saw(string what, string? value)
    {
        Assert.False(string.IsNullOrEmpty(value), $"the flow produced no {what}");
        _secrets[what] = value!;
    }

    [Fact]
    public async Task No_key_token_session_or_provider_key_is_in_any_table_or_log()
    {
        await Offset();
        await Market();
        await Memory();
        await Access();
        await HumanSignIn();
        await OutboxDrained();

        // The search itself works: it finds the emailed secrets in the mailbox, and the dump holds the rows.
        var mailbox = string.Join("\n", Directory.EnumerateFiles(stack.MailDrop, "*.eml").Select(File.ReadAllText));
        Assert.Contains(Findings("the mail drop", mailbox), f => f.StartsWith("offset approval token", StringComparison.Ordinal));
        Assert.Contains(Findings("the mail drop", mailbox), f => f.StartsWith("memory claim token", StringComparison.Ordinal));
        var database = await EveryValueInTheDatabase();
        Assert.Contains(database, v => v.Where.StartsWith("public.agent_directory.agent_id", StringComparison.Ordinal) && v.Text == _offsetAgentId);

        var found = new List<string>();
        foreach (var (where, text) in database)
            found.AddRange(Findings(where, text));
        var lines = LogCapture.Of(stack).Lines();
        Assert.NotEmpty(lines);
        for (var i = 0; i < lines.Count; i++)
            found.AddRange(Findings($"log line {i + 1} \"{Shorten(lines[i])}\"", lines[i]));

        Assert.True(found.Count == 0, "Secrets stored in clear:\n" + string.Join("\n", found.Distinct().Take(50)));
    }

    IEnumerable<string> Findings(string where, string text)
    {
        foreach (var (what, secret) in _secrets)
            foreach (var (form, encoded) in Encodings(secret))
                if (Contains(text, encoded, standalone: secret.Length < 10))
                    yield return $"{what} ({form}) in {where}";
    }

    static IEnumerable<(string Form, string Value)> Encodings(string secret) => AllEncodings(secret).DistinctBy(e => e.Value);

    static IEnumerable<(string Form, string Value)> AllEncodings(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        yield return ("literal", secret);
        yield return ("hex", Convert.ToHexStringLower(bytes));
        yield return ("base64", Convert.ToBase64String(bytes).TrimEnd('='));
        yield return ("url-encoded", Uri.EscapeDataString(secret));
    }

    // A 6-digit code would match any long enough number (a timestamp's microseconds, a hash):
    // it counts only where it stands alone.
    static bool Contains(string text, string value, bool standalone) =>
        standalone ? Regex.IsMatch(text, $@"(?<![0-9A-Za-z.:+\-]){Regex.Escape(value)}(?![0-9A-Za-z])")
               : text.Contains(value, StringComparison.Ordinal);

    static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "…";

    async Task Offset()
    {
        var agent = await stack.RegisterOffsetAgent();
        Assert.StartsWith("to_agent_", agent.ApiKey);
        Saw("offset agent key (to_agent_)", agent.ApiKey);
        _offsetAgentId = agent.AgentId;

        var email = Unique.Email("secrets");
        var signup = await agent.SignUpUser(email);
        var linkId = signup.GetProperty("linkId").GetString()!;
        var url = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "offset/approve?");
        Saw("offset approval token", System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["token"]);
        Assert.Equal(HttpStatusCode.OK, (await stack.ApproveByEmail(email)).StatusCode);

        var providerKey = "sk-ant-admin01-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var connected = await agent.ConnectProvider(linkId, "anthropic", providerKey);
        Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
        Saw("provider admin key (sk-ant-admin)", providerKey);

        // Register with an Idempotency-Key, replayed: the stored answer carries the key.
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Register()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/offset/api/agents/register")
            {
                Content = JsonContent.Create(new { name = Unique.Name("secret"), ownerEmail = "ops@aria.example", description = "d", websiteUrl = "https://aria.example" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }
        var first = await stack.Http.SendAsync(Register());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Saw("offset agent key issued with an Idempotency-Key", (await first.ReadJson()).GetProperty("apiKey").GetString());
    }

    async Task Market()
    {
        var owner = Unique.Email("secrets-owner");
        var agent = await stack.RegisterAgent(ownerEmail: owner);
        Assert.StartsWith("toku_agent_", agent.ApiKey);
        Saw("market agent key (toku_agent_)", agent.ApiKey);
        Saw("market claim token", await MailDrop.WaitForToken(stack.MailDrop, owner, "Your claim token: "));

        // The webhook signing secret (encrypted in the endpoint's state), before and after a rotation;
        // its base64 part alone is the HMAC key. A test delivery and the idempotent replay store use it too.
        using var client = stack.AsAgent(agent.ApiKey);
        var registration = new HttpRequestMessage(HttpMethod.Post, "/market/api/agents/me/webhooks")
        {
            Content = JsonContent.Create(new { webhookUrl = "http://127.0.0.1:9/hook" }),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } },
        };
        var registered = await (await client.SendAsync(registration)).ReadJson();
        var secret = registered.GetProperty("secret").GetString()!;
        Saw("webhook signing secret (whsec_)", secret);
        Saw("webhook signing key (base64 of the whsec_ secret)", secret["whsec_".Length..]);
        var rotated = await (await client.PostAsync("/market/api/agents/me/webhooks/rotate-secret", null)).ReadJson();
        Saw("rotated webhook signing secret (whsec_)", rotated.GetProperty("secret").GetString());
        await client.PostAsync("/market/api/agents/me/webhooks/test", null);
    }

    async Task Memory()
    {
        var machine = await stack.RegisterMachine();
        Assert.StartsWith("omx_", machine.ApiKey);
        Saw("memory machine key (omx_)", machine.ApiKey);
        using var agent = stack.AsAgent(machine.ApiKey);
        var email = Unique.Email("secrets-claim");
        var init = await (await agent.InitClaim(machine.Fingerprint, email)).Data();
        Saw("memory claim code", init.GetProperty("verification_code").GetString());
        var (_, token) = await stack.ClaimLink(email);
        Saw("memory claim token", token);
    }

    async Task Access()
    {
        var subscriber = await stack.NewSubscriber();
        Assert.StartsWith("agnt_", subscriber.ApiKey);
        Saw("access agent key (agnt_)", subscriber.ApiKey);

        // The admin key issue with an Idempotency-Key, and its replay.
        using var admin = stack.AsAdmin();
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Issue()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/api/orgs/{subscriber.OrgId}/keys");
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }
        var first = await admin.SendAsync(Issue());
        var repeat = await admin.SendAsync(Issue());
        Assert.True(first.IsSuccessStatusCode);
        Assert.True(repeat.Headers.Contains("Idempotent-Replayed"));
        var issued = (await first.ReadJson()).GetProperty("apiKey").GetString();
        Assert.Equal(issued, (await repeat.ReadJson()).GetProperty("apiKey").GetString());
        Saw("access agent key issued with an Idempotency-Key (agnt_)", issued);

        var article = await stack.NewArticle(tier: 1);
        var authorized = await subscriber.Http.AuthorizeRetrieval(article, idempotencyKey: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, authorized.StatusCode);
        var accessToken = (await authorized.ReadJson()).GetProperty("access_token").GetString();
        Assert.StartsWith("at_access_", accessToken);
        Saw("access token (at_access_)", accessToken);
    }

    async Task HumanSignIn()
    {
        var email = Unique.Email("secrets-human");
        using var http = stack.SignedOut();
        var asked = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["signup"] = "1" }));
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var url = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "signin/confirm?");
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["token"];
        Saw("magic sign-in token", token);
        var confirmed = await http.PostAsync("/signin/confirm", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token! }));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var cookie = confirmed.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("actors_session=", StringComparison.Ordinal));
        Saw("session cookie", cookie.Split(';')[0]["actors_session=".Length..]);
    }

    async Task OutboxDrained()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((long)(await stack.Postgres.Scalar("SELECT count(*) FROM emails WHERE sent_at IS NULL"))! > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the email outbox did not drain");
            await Task.Delay(100);
        }
    }

    /// <summary>Every value of every column of every table outside the system schemas, as text, named by where it is.</summary>
    async Task<List<(string Where, string Text)>> EveryValueInTheDatabase()
    {
        await using var connection = new NpgsqlConnection(stack.Postgres.ConnectionString);
        await connection.OpenAsync();
        var columns = new List<(string Schema, string Table, string Column)>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1, 2, c.ordinal_position
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        Assert.Contains(columns, c => c.Table == "emails");

        var values = new List<(string, string)>();
        foreach (var (schema, table, column) in columns)
        {
            var sql = $"SELECT {Quote(column)}::text FROM {Quote(schema)}.{Quote(table)} WHERE {Quote(column)} IS NOT NULL";
            await using var select = new NpgsqlCommand(sql, connection);
            await using var reader = await select.ExecuteReaderAsync();
            var row = 0;
            while (await reader.ReadAsync())
            {
                var text = reader.GetString(0);
                values.Add(($"{schema}.{table}.{column} (row {++row})", text));
                // bytea is read as hex; what it holds as text is searched too.
                if (text.StartsWith(@"\x", StringComparison.Ordinal) && text.Length % 2 == 0)
                    try { values.Add(($"{schema}.{table}.{column} (row {row}, bytes as UTF-8)", Encoding.UTF8.GetString(Convert.FromHexString(text[2..])))); }
                    catch (FormatException) { }
            }
        }
        return values;
    }

    static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
