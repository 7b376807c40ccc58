using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Actors.Api.Http;

/// <summary>
/// The one input rule for every text the API accepts, wherever it arrives (JSON string members
/// and property names, query strings, route values, form fields): no C0 control character except
/// tab, line feed and carriage return (so CRLF text is kept as sent). NUL and the other controls
/// mean nothing in a name, an email or a description, and PostgreSQL refuses NUL in text
/// (error 22021); refusing them at the edge is a 400 naming the field before any grain is called.
/// </summary>
public static class InputRules
{
    /// <summary>True for U+0000–U+001F except tab (U+0009), line feed (U+000A) and carriage return (U+000D).</summary>
    public static bool IsForbidden(char c) => c < ' ' && c is not ('\t' or '\n' or '\r');

    /// <summary>The index of the first forbidden character of <paramref name="text"/>, or -1.</summary>
    public static int FirstForbidden(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
            if (IsForbidden(text[i])) return i;
        return -1;
    }

    /// <summary>Why <paramref name="text"/> is refused, or null when it follows the rule.</summary>
    public static string? Violation(string? field, ReadOnlySpan<char> text)
    {
        var at = FirstForbidden(text);
        return at < 0 ? null : Refusal(field, ControlAt(text, at));
    }

    /// <summary>What is wrong with a text whose character at <paramref name="at"/> is forbidden.</summary>
    public static string ControlAt(ReadOnlySpan<char> text, int at) =>
        $"control character U+{(int)text[at]:X4} at position {at} (of the control characters only tab, line feed and carriage return are accepted)";

    /// <summary>The sentence a refused text gets: <paramref name="what"/> says what is wrong with it.</summary>
    public static string Refusal(string? field, string what) =>
        field is null ? $"Invalid text: {what}" : $"Invalid value for '{field}': {what}";

    /// <summary>
    /// The rule in the API's JSON options (every minimal-API body, including the types of
    /// source-generated contexts in the resolver chain, which use the options' converters), the
    /// answers for what it refuses, and nothing else: valid input reads exactly as before.
    /// Register before <see cref="ErrorAnswers.AddErrorAnswers"/> (exception handlers run in order).
    /// </summary>
    public static IServiceCollection AddInputRules(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new RuledStringConverter());
            o.SerializerOptions.Converters.Add(new RuledJsonElementConverter());
            // A number is a JSON number: the web defaults would also read "5000" as 5000, so a
            // client sending the wrong type would get an answer instead of a 400 naming the field.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        return services.AddExceptionHandler<InputRefusals>();
    }

    /// <summary>
    /// A copy of <paramref name="options"/> with the rule's converters: for JSON read outside the
    /// API's own options (the MCP tools' arguments), where a refused text is the call's error.
    /// </summary>
    public static JsonSerializerOptions WithRules(JsonSerializerOptions options)
    {
        var ruled = new JsonSerializerOptions(options);
        ruled.Converters.Add(new RuledStringConverter());
        ruled.Converters.Add(new RuledJsonElementConverter());
        return ruled;
    }

    /// <summary>
    /// Before any endpoint runs: a JSON body in a charset the server cannot decode is a 415
    /// naming the charset; a path or query string carrying a forbidden character is a 400 naming
    /// the parameter; a request without the body its endpoint requires is a 415. Place after
    /// <c>UseAuthorization</c>, so an unauthenticated request is still the 401 it was (the
    /// minimal-API binder, too, reads the body only once authorization has passed).
    /// </summary>
    public static IApplicationBuilder UseInputRules(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (UnreadableCharset(context.Request) is { } charset)
        {
            await InputRefusals.Write(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported charset",
                $"The request's charset '{charset}' is not one this server can read: send the body as UTF-8 JSON", "Content-Type");
            return;
        }
        if (ForbiddenInUrl(context.Request) is { } refusal)
        {
            await InputRefusals.Write(context, StatusCodes.Status400BadRequest, "Invalid request", refusal.Message, refusal.Field);
            return;
        }
        if (MissingJsonContentType(context))
        {
            await InputRefusals.Write(context, StatusCodes.Status415UnsupportedMediaType, "Bad request", "Send the body as application/json");
            return;
        }
        await next(context);
    });

    /// <summary>The charset parameter of a JSON body that ASP.NET Core could not decode (it would throw, a 500), or null.</summary>
    static string? UnreadableCharset(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (contentType is null || !contentType.Contains("charset", StringComparison.OrdinalIgnoreCase)) return null;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)) return null;
        var json = media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
        if (!json || !media.Charset.HasValue) return null;
        var charset = media.Charset.Value!;
        if (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            _ = Encoding.GetEncoding(charset); // what the JSON body reader does with it
            return null;
        }
        catch (ArgumentException)
        {
            return charset;
        }
    }

    static (string Message, string Field)? ForbiddenInUrl(HttpRequest request)
    {
        // Route values are segments of the decoded path: checking the path covers every one of them.
        if (request.Path.HasValue && Violation("path", request.Path.Value) is { } inPath) return (inPath, "path");
        var raw = request.QueryString.Value;
        if (string.IsNullOrEmpty(raw) || !MayEncodeControl(raw)) return null;
        foreach (var (name, values) in request.Query)
        {
            if (Violation(null, name) is not null) return (Violation("query parameter name", name)!, name);
            foreach (var value in values)
                if (Violation(name, value) is { } message) return (message, name);
        }
        return null;
    }

    // A decoded query string holds a control character only where the raw one has %00–%1F
    // (Kestrel refuses raw control characters in the request line).
    static bool MayEncodeControl(string raw)
    {
        for (var i = raw.IndexOf('%'); i >= 0 && i + 1 < raw.Length; i = raw.IndexOf('%', i + 1))
            if (raw[i + 1] is '0' or '1') return true;
        return false;
    }

    /// <summary>
    /// A POST, PUT or PATCH without a Content-Type to an endpoint that declares a body it requires
    /// (<see cref="IAcceptsMetadata"/>): the minimal-API binder answers those 415 by itself, but the
    /// MCP endpoint reads its body directly and would fail with a 500; this answers every such endpoint alike.
    /// </summary>
    static bool MissingJsonContentType(HttpContext context)
    {
        var request = context.Request;
        if (!string.IsNullOrEmpty(request.ContentType)) return false;
        if (!(HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))) return false;
        return context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { IsOptional: false, ContentTypes.Count: > 0 };
    }
}

/// <summary>A text member that breaks <see cref="InputRules"/>: the JSON reader's way of refusing it, so the path names the field.</summary>
public sealed class ForbiddenTextException(string what) : JsonException(InputRules.Refusal(null, what))
{
    /// <summary>Which character, and where in the text.</summary>
    public string What { get; } = what;

    public static ForbiddenTextException For(string text) => new(InputRules.ControlAt(text, InputRules.FirstForbidden(text)));

    /// <summary>A string the reader cannot decode (invalid UTF-8, a lone surrogate escape).</summary>
    public static ForbiddenTextException Undecodable() => new("the text is not valid Unicode (invalid UTF-8 or a lone surrogate)");
}

/// <summary>A refused human form (malformed, too many or too long fields, a forbidden character): answered as a page.</summary>
public sealed class FormRefusedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>Every string of every JSON body, and every string-keyed dictionary key, checked against <see cref="InputRules"/>.</summary>
public sealed class RuledStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException();
        Check(text);
        return text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.GetString()!;
        Check(name);
        return name;
    }

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    static void Check(string? text)
    {
        if (text is not null && InputRules.FirstForbidden(text) >= 0)
            throw ForbiddenTextException.For(text);
    }
}

/// <summary>Free-form JSON members (memory metadata): every string and property name inside checked too.</summary>
public sealed class RuledJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        string? text;
        try { text = FirstViolation(element); }
        catch (InvalidOperationException) { throw ForbiddenTextException.Undecodable(); } // GetString of invalid UTF-8 or a lone surrogate
        if (text is not null) throw ForbiddenTextException.For(text);
        return element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

    static string? FirstViolation(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = element.GetString()!;
                return InputRules.FirstForbidden(text) >= 0 ? text : null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    if (FirstViolation(item) is { } inItem) return inItem;
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (InputRules.FirstForbidden(property.Name) >= 0) return property.Name;
                    if (FirstViolation(property.Value) is { } inValue) return inValue;
                }
                return null;
            default:
                return null;
        }
    }
}

/// <summary>
/// Answers what <see cref="InputRules"/> refuses: a forbidden text in a JSON body (400 naming the
/// field), a refused human form (an HTML page). Runs before <see cref="ErrorHandling"/>, which
/// answers everything else.
/// </summary>
public sealed class InputRefusals : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        switch (exception)
        {
            case BadHttpRequestException { InnerException: ForbiddenTextException text }:
                var field = JsonField(text.Path);
                await Write(context, StatusCodes.Status400BadRequest, "Invalid request body",
                    InputRules.Refusal(field, text.What), field);
                return true;
            case FormRefusedException form:
                await Humans.HtmlPage.Result("Not accepted", form.Message, form.Status).ExecuteAsync(context);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A refusal in the shape of the request's surface: problem details with <c>error</c> and
    /// <c>field</c> (which is also offset's <c>{"error", "field"}</c>), with <c>success: false</c>
    /// under the surfaces whose seeds answer in that envelope (<see cref="ApiProblem.SaysSuccess"/>); a page for a browser asking for HTML.
    /// </summary>
    public static Task Write(HttpContext context, int status, string title, string message, string? field = null)
    {
        if (WantsHtml(context.Request)) return Humans.HtmlPage.Result("Not accepted", message, status).ExecuteAsync(context);
        var extensions = new Dictionary<string, object?>();
        if (ApiProblem.SaysSuccess(context.Request)) extensions["success"] = false;
        extensions["error"] = message;
        if (field is not null) extensions["field"] = field;
        return TypedResults.Problem(detail: message, statusCode: status, title: title, extensions: extensions).ExecuteAsync(context);
    }

    static bool WantsHtml(HttpRequest request)
    {
        string? accept = request.Headers.Accept;
        return accept is not null && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>$.tags[2]</c> → <c>tags</c>: the name a client sent (as <see cref="ErrorHandling"/> names a malformed member).</summary>
    static string? JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        var name = path.TrimStart('$', '.');
        var end = name.IndexOfAny(['.', '[']);
        return end > 0 ? name[..end] : name;
    }
}
