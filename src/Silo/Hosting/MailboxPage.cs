using System.Net;
using System.Text;
using Actors.Grains.Platform;
using Microsoft.Extensions.Options;

namespace Actors.Silo.Hosting;

/// <summary>
/// The development mailbox: the <c>.eml</c> files the mail dispatcher dropped (no SMTP server
/// configured), newest first, for operators only. Links in them are shown as text, not followed.
/// </summary>
public static class MailboxPage
{
    const int MaxListed = 200;

    public static void MapMailbox(this IEndpointRouteBuilder app)
    {
        var mail = app.MapGroup("/mail").RequireAuthorization("operator");
        mail.MapGet("/", List);
        mail.MapGet("/{id}", Show);
    }

    static IResult List(IOptions<ActorsOptions> options)
    {
        var folder = Path.GetFullPath(options.Value.MailDropPath);
        var rows = new StringBuilder();
        if (Directory.Exists(folder))
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*.eml").OrderByDescending(f => f.LastWriteTimeUtc).Take(MaxListed))
            {
                var headers = Headers(File.ReadAllText(file.FullName));
                var id = Path.GetFileNameWithoutExtension(file.Name);
                rows.Append($"<tr><td>{E(headers.GetValueOrDefault("Date"))}</td><td>{E(headers.GetValueOrDefault("To"))}</td>")
                    .Append($"<td><a href=\"/mail/{WebUtility.UrlEncode(id)}\">{E(headers.GetValueOrDefault("Subject"))}</a></td></tr>");
            }
        }
        return Page("Development mailbox", $"<p>{E(folder)}</p><table id=\"mail\"><tr><th>Date</th><th>To</th><th>Subject</th></tr>{rows}</table>");
    }

    static IResult Show(string id, IOptions<ActorsOptions> options)
    {
        // Ids are our own (eml_ + base62): anything else cannot name a file in the folder.
        if (!id.StartsWith("eml_", StringComparison.Ordinal) || id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            return TypedResults.NotFound();
        var path = Path.Combine(Path.GetFullPath(options.Value.MailDropPath), id + ".eml");
        if (!File.Exists(path)) return TypedResults.NotFound();
        return Page("Email", $"<p><a href=\"/mail\">All emails</a></p><pre id=\"message\">{E(File.ReadAllText(path))}</pre>");
    }

    static Dictionary<string, string> Headers(string eml)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in eml.Split("\r\n"))
        {
            if (line.Length == 0) break;
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon]] = line[(colon + 1)..].Trim();
        }
        return headers;
    }

    static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    static IResult Page(string title, string body) => TypedResults.Content($$"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
        <style>body{font-family:system-ui,sans-serif;margin:2rem}td,th{padding:.3rem .6rem;text-align:left}pre{white-space:pre-wrap}</style>
        </head><body><h1>{{E(title)}}</h1>{{body}}</body></html>
        """, "text/html; charset=utf-8");
}
