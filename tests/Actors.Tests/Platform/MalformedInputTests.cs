using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Actors.Tests.Infrastructure;
using ModelContextProtocol.Client;
using Npgsql;

namespace Actors.Tests.Platform;

/// <summary>
/// The malformed-input corpus: every operation the OpenAPI document lists, and every human form,
/// gets bad input of every kind, authenticated so it passes the auth checks. Nothing is ever a
/// 5xx, and the refused requests change no table. A new endpoint joins by being in the document
/// (a new human form by being added to <see cref="HumanForms"/>).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class MalformedInputTests(ActorsStack stack)
{
    /// <summary>Every POST that reads a form through <c>HumanForms.Read</c> (sign-out reads none and ends the session).</summary>
    static readonly string[] HumanForms =
    [
        "/signin", "/signin/confirm", "/offset/approve", "/memory/claim", "/market/claim",
        "/account/orgs", "/account/orgs/org_corpus/checkout", "/account/orgs/org_corpus/keys", "/account/orgs/org_corpus/keys/revoke",
        "/pay/sandbox/chk_corpus", "/pay/sandbox/cs_corpus", "/pay/sandbox/connect/acct_corpus", "/dashboard/settings/agents/revoke",
    ];

    [Fact]
    public async Task Bad_input_to_every_documented_operation_and_every_human_form_is_never_a_5xx_and_changes_no_table()
    {
        var agent = await stack.RegisterAgent();
        using var human = await stack.SignUp(Unique.Email("corpus"));
        var cookie = human.DefaultRequestHeaders.GetValues("Cookie").Single();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = stack.ApiUrl };
        using var document = JsonDocument.Parse(await stack.Http.GetStringAsync("/openapi/v1.json"));

        var corpus = new List<Case>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                corpus.AddRange(OperationCases(document.RootElement, path.Name, operation.Name.ToUpperInvariant(), operation.Value));
        corpus.AddRange(McpCases());
        foreach (var form in HumanForms) corpus.AddRange(FormCases(form));
        Assert.True(corpus.Select(c => c.Path).Distinct().Count() > 30, "the document lists the surfaces' operations");

        var before = await StableSnapshot();
        var failures = new List<string>();
        foreach (var @case in corpus.Where(c => !c.MayBeAccepted))
            await Send(@case);
        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count(c => !c.MayBeAccepted)} requests were not refused with a 4xx:\n" + string.Join("\n", failures));

        var after = await StableSnapshot();
        var changed = before.Keys.Union(after.Keys)
            .Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t))
            .Select(t => $"{t}: {before.GetValueOrDefault(t)} → {after.GetValueOrDefault(t)}").ToList();
        Assert.True(changed.Count == 0, "refused requests changed tables:\n" + string.Join("\n", changed));

        // Odd but acceptable input last: it may change something, it may never be a 5xx.
        foreach (var @case in corpus.Where(c => c.MayBeAccepted))
            await Send(@case);
        Assert.True(failures.Count == 0, "answered with a 5xx:\n" + string.Join("\n", failures));

        async Task Send(Case @case)
        {
            using var request = @case.Build();
            request.Headers.Authorization = @case.Path.StartsWith("/admin", StringComparison.Ordinal)
                ? new AuthenticationHeaderValue("Bearer", ActorsStack.AdminToken)
                : new AuthenticationHeaderValue("Bearer", agent.ApiKey);
            request.Headers.Add("Cookie", cookie);
            // A server may answer before reading a body it refuses: wait for its answer before sending one.
            request.Headers.ExpectContinue = request.Content is not null;
            try
            {
                using var response = await http.SendAsync(request);
                var status = (int)response.StatusCode;
                if (status >= 500 || (status < 400 && !@case.MayBeAccepted))
                    failures.Add($"{status} {@case}: {Truncate(await response.Content.ReadAsStringAsync())}");
            }
            catch (HttpRequestException e)
            {
                failures.Add($"no answer {@case}: {e.Message}");
            }
        }
    }

    [Fact]
    public async Task A_forbidden_character_is_a_400_naming_the_field_in_each_surfaces_shape_and_valid_text_still_passes()
    {
        var agent = await stack.RegisterAgent();
        using var market = stack.AsAgent(agent.ApiKey);

        var nul = await market.PatchAsync("/market/api/agents/me", Json("""{"description":"x\u0000y","name":"renamed"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.Equal("description", (await nul.ReadJson()).GetProperty("field").GetString());
        var me = await (await market.GetAsync("/market/api/agents/me")).ReadJson();
        Assert.Equal(agent.Name, me.GetProperty("agent").GetProperty("name").GetString());

        var crlf = await market.PatchAsync("/market/api/agents/me", Json("""{"description":"line one\r\nline two\tend"}"""));
        Assert.Equal(HttpStatusCode.OK, crlf.StatusCode);

        var machine = await stack.RegisterMachine();
        using var memory = stack.AsAgent(machine.ApiKey);
        var metadata = await memory.PostAsync("/memory/api/v1/memories", Json("""{"content":"ok","metadata":{"k":"a\u0001b"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, metadata.StatusCode);
        var body = await metadata.ReadJson();
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal("metadata", body.GetProperty("field").GetString());

        var query = await memory.GetAsync("/memory/api/v1/memories?q=a%00b");
        Assert.Equal(HttpStatusCode.BadRequest, query.StatusCode);
        Assert.Equal("q", (await query.ReadJson()).GetProperty("field").GetString());

        var charset = await market.PatchAsync("/market/api/agents/me",
            new StringContent("""{"description":"x"}""", Encoding.UTF8) { Headers = { ContentType = MediaTypeHeaderValue.Parse("application/json; charset=bogus-42") } });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, charset.StatusCode);
        Assert.Contains("bogus-42", (await charset.ReadJson()).GetProperty("error").GetString());

        var offset = await stack.RegisterOffsetAgent();
        var signup = await offset.Http.PostAsync("/offset/api/agents/signup-user", Json("""{"userEmail":"a\u0000@example.com"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, signup.StatusCode);
        var offsetError = await signup.ReadJson();
        Assert.Equal("userEmail", offsetError.GetProperty("field").GetString());
        Assert.Contains("U+0000", offsetError.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_mcp_tool_argument_follows_the_same_rule_and_stores_nothing()
    {
        var agent = await stack.RegisterOffsetAgent();
        await using var mcp = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(stack.ApiUrl, "/offset/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + agent.ApiKey },
        }));
        var emails = await stack.Postgres.Scalar("SELECT count(*) FROM emails");

        var refused = await mcp.CallToolAsync("tokenoffset_signup_user", new Dictionary<string, object?> { ["userEmail"] = "a\0b@example.com" });

        Assert.True(refused.IsError);
        Assert.Equal(emails, await stack.Postgres.Scalar("SELECT count(*) FROM emails"));
        var fine = await mcp.CallToolAsync("tokenoffset_signup_user", new Dictionary<string, object?> { ["userEmail"] = Unique.Email("mcp") });
        Assert.NotEqual(true, fine.IsError);
    }

    [Fact]
    public async Task A_refused_form_is_a_page_in_the_shared_layout()
    {
        using var http = stack.SignedOut();
        var nul = await http.PostAsync("/signin", new StringContent("email=a%00b%40example.com", Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.Equal("text/html", nul.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"result\"", await nul.Content.ReadAsStringAsync());

        var many = await http.PostAsync("/signin", Form(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1"))));
        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        Assert.Equal("text/html", many.Content.Headers.ContentType?.MediaType);
    }

    // ---- the corpus -------------------------------------------------------------------------

    /// <param name="MayBeAccepted">Input that is not wrong, only odd (an unknown member is ignored): never a 5xx, but it may succeed.</param>
    sealed record Case(string Method, string Path, string Name, Func<HttpContent?> Content, string? Query = null, bool MayBeAccepted = false)
    {
        public HttpRequestMessage Build() => new(new HttpMethod(Method), Path + Query) { Content = Content() };

        public override string ToString() => $"{Method} {Path}{Query} [{Name}]";
    }

    static IEnumerable<Case> OperationCases(JsonElement root, string template, string method, JsonElement operation)
    {
        var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
        var pathNames = parameters.Where(x => x.GetProperty("in").GetString() == "path").Select(x => x.GetProperty("name").GetString()!).ToList();
        var queryNames = parameters.Where(x => x.GetProperty("in").GetString() == "query").Select(x => x.GetProperty("name").GetString()!).ToList();
        var path = Fill(template, pathNames, "corpus_1");

        foreach (var name in pathNames)
            yield return new(method, Fill(template, pathNames, "corpus_1", (name, "a%00b")), $"NUL in path parameter {name}", () => null);
        foreach (var name in queryNames)
        {
            yield return new(method, path, $"NUL in query parameter {name}", () => null, $"?{name}=a%00b");
            yield return new(method, path, $"control character in query parameter {name}", () => null, $"?{name}=a%1Fb");
        }
        yield return new(method, path, "NUL in an unknown query parameter", () => null, "?corpus%00=1");

        if (!operation.TryGetProperty("requestBody", out var body)) yield break;
        var schema = Resolve(root, body.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema"));
        var properties = schema.TryGetProperty("properties", out var props)
            ? props.EnumerateObject().Select(x => (x.Name, Schema: Resolve(root, x.Value))).ToList()
            : [];

        yield return new(method, path, "bogus charset", () => Raw("{}", "application/json; charset=bogus-42"));
        yield return new(method, path, "quoted unknown charset", () => Raw("{}", "application/json; charset=\"x\""));
        yield return new(method, path, "missing Content-Type", () => new ByteArrayContent("{}"u8.ToArray()));
        yield return new(method, path, "text/plain", () => Raw("{}", "text/plain"));
        yield return new(method, path, "malformed JSON", () => Json("{\"a\": "));
        yield return new(method, path, "not an object", () => Json("[1,2,3]"));
        yield return new(method, path, "invalid UTF-8", () => Utf8Invalid("\"", "\""));
        yield return new(method, path, "oversized body", () => Json("{\"x\":\"" + new string('a', 1024 * 1024 + 10) + "\"}"));
        yield return new(method, path, "only an unknown field, holding a NUL", () => Json("{\"corpusUnknown\":\"a\\u0000b\"}"), MayBeAccepted: true);
        yield return new(method, path, "invalid UTF-8 in an unknown member's name", () => Utf8Invalid("{\"", "\":1}"), MayBeAccepted: true);
        yield return new(method, path, "deeply nested", () => Json(new string('[', 5000) + new string(']', 5000)));
        foreach (var (name, property) in properties)
        {
            var type = TypeOf(property);
            yield return new(method, path, $"NUL in {name}", () => Json(Body(properties, name, "\"x\\u0000y\"")));
            yield return new(method, path, $"ESC in {name}", () => Json(Body(properties, name, "\"x\\u001by\"")));
            yield return new(method, path, $"invalid UTF-8 in {name}", () => Utf8Invalid("{\"" + name + "\":\"", "\"}"));
            yield return new(method, path, $"lone surrogate in {name}", () => Json(Body(properties, name, "\"x\\ud800y\"")));
            yield return new(method, path, $"wrong type for {name}", () => Json(Body(properties, name, type is "string" ? "{\"a\":1}" : "\"not-a-value\u0000\"")));
            yield return new(method, path, $"NUL in {name} with an unknown field", () => Json(Body(properties, name, "\"\\u0000\"", "\"corpusUnknown\":1")));
        }
    }

    /// <summary>MCP is outside the document (it has its own): its POST gets the body cases too.</summary>
    static IEnumerable<Case> McpCases()
    {
        const string path = "/offset/mcp";
        yield return new("POST", path, "missing Content-Type", () => new ByteArrayContent("{}"u8.ToArray()));
        yield return new("POST", path, "missing Content-Type, empty body", () => null);
        yield return new("POST", path, "bogus charset", () => Raw("{}", "application/json; charset=bogus-42"));
        yield return new("POST", path, "malformed JSON", () => Json("{\"a\": "));
        yield return new("POST", path, "oversized body", () => Json("{\"x\":\"" + new string('a', 1024 * 1024 + 10) + "\"}"));
        yield return new("POST", path, "NUL in query", () => Json("{}"), "?x=%00");
    }

    static IEnumerable<Case> FormCases(string path)
    {
        const string urlencoded = "application/x-www-form-urlencoded";
        yield return new("POST", path, "NUL in a value", () => Raw("email=a%00b%40example.com&token=t%00&name=n%00&linkId=lnk_%00&keyId=k%00&plan=p%00&link=l%00&machine=m%00", urlencoded));
        yield return new("POST", path, "control character in a value", () => Raw("email=a%07b&token=t%1B&name=n%01", urlencoded));
        yield return new("POST", path, "NUL in a name", () => Raw("na%00me=1", urlencoded));
        yield return new("POST", path, "more than 1,024 fields", () => Raw(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1")), urlencoded));
        yield return new("POST", path, "a name over 2,048 characters", () => Raw(new string('n', 2100) + "=1", urlencoded));
        yield return new("POST", path, "a 10,000-level nested name", () => Raw(string.Concat(Enumerable.Repeat("a[", 10_000)) + new string(']', 10_000) + "=1", urlencoded));
        yield return new("POST", path, "oversized form", () => Raw("v=" + new string('a', 1024 * 1024 + 10), urlencoded));
        yield return new("POST", path, "multipart without a boundary", () => Raw("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n", "multipart/form-data"));
        yield return new("POST", path, "truncated multipart", () => Raw("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1234", "multipart/form-data; boundary=x"));
        yield return new("POST", path, "NUL in a multipart value", () => Raw("--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na\0b\r\n--x--\r\n", "multipart/form-data; boundary=x"));
        yield return new("POST", path, "NUL in a query value", () => Raw("a=1", urlencoded), "?token=%00");
    }

    static string Fill(string template, List<string> names, string value, (string Name, string Value)? special = null)
    {
        foreach (var name in names)
            template = template.Replace("{" + name + "}", special is { } s && s.Name == name ? s.Value : value, StringComparison.Ordinal);
        return template;
    }

    static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var target = root;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/')) target = target.GetProperty(part);
            return Resolve(root, target);
        }
        return schema;
    }

    static string TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type)) return "object";
        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).First(t => t != "null")
            : type.GetString()!;
    }

    /// <summary>A body with <paramref name="value"/> in <paramref name="field"/> and a plausible value in every other documented member.</summary>
    static string Body(List<(string Name, JsonElement Schema)> properties, string field, string value, string? extra = null)
    {
        var members = properties.Select(p => $"\"{p.Name}\":{(p.Name == field ? value : Plausible(p.Schema))}").ToList();
        if (extra is not null) members.Add(extra);
        return "{" + string.Join(',', members) + "}";
    }

    static string Plausible(JsonElement schema) => TypeOf(schema) switch
    {
        "string" => "\"corpus\"",
        "integer" or "number" => "1",
        "boolean" => "false",
        "array" => "[]",
        _ => "{}",
    };

    static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary><paramref name="before"/>, the bytes C3 28 (not UTF-8), <paramref name="after"/>.</summary>
    static ByteArrayContent Utf8Invalid(string before, string after) =>
        new([.. Encoding.UTF8.GetBytes(before), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(after)]) { Headers = { ContentType = new("application/json") } };

    static StringContent Form(string body) => Raw(body, "application/x-www-form-urlencoded");

    static StringContent Raw(string body, string contentType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    // ---- what the database holds ------------------------------------------------------------

    /// <summary>
    /// Row count and checksum of every table except Orleans membership and reminders (heartbeats
    /// and reminder bookkeeping change on their own); grain state is
    /// included (<c>orleans_grain_state</c>), so a half-applied change in a grain would show. Taken until two in a row agree,
    /// so what earlier tests left in flight (an email being sent) has settled.
    /// </summary>
    async Task<Dictionary<string, string>> StableSnapshot()
    {
        var previous = await Snapshot();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await Task.Delay(500);
            var next = await Snapshot();
            if (next.Count == previous.Count && next.All(kv => previous.GetValueOrDefault(kv.Key) == kv.Value)) return next;
            previous = next;
        }
        return previous;
    }

    async Task<Dictionary<string, string>> Snapshot()
    {
        await using var connection = new NpgsqlConnection(stack.Postgres.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'orleans\\_membership%' " +
            "AND tablename NOT LIKE 'orleans\\_reminder%' AND tablename <> 'orleansquery' ORDER BY tablename", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));

        var snapshot = new Dictionary<string, string>();
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, '' ORDER BY t::text)), '') FROM \"{table}\" t", connection);
            snapshot[table] = (string)(await command.ExecuteScalarAsync())!;
        }
        return snapshot;
    }
}
