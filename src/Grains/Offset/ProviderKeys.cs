using System.Text.RegularExpressions;
using Actors.Grains.Platform;
using Microsoft.AspNetCore.DataProtection;

namespace Actors.Grains.Offset;

/// <summary>
/// Provider admin keys: format rules, encryption at rest (Data Protection, key ring in
/// PostgreSQL) and the masked hint that is all anyone ever sees again.
/// </summary>
public sealed partial class ProviderKeys(IDataProtectionProvider protection)
{
    public const string Anthropic = "anthropic";
    public const string OpenAi = "openai";

    readonly IDataProtector _protector = protection.CreateProtector("Actors.Offset.ProviderAdminKeys.v1");

    [GeneratedRegex("^sk-ant-admin[A-Za-z0-9_-]{16,250}$")]
    private static partial Regex AnthropicAdminKey();

    [GeneratedRegex("^sk-admin-[A-Za-z0-9_-]{16,250}$")]
    private static partial Regex OpenAiAdminKey();

    public static Result<(string Provider, string Key)> Check(string? provider, string? apiKey)
    {
        var name = provider?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(name)) return Problem.Invalid("provider", "provider is required (anthropic or openai)");
        if (name is not (Anthropic or OpenAi)) return Problem.Invalid("provider", "provider must be anthropic or openai");
        var key = apiKey?.Trim();
        if (string.IsNullOrEmpty(key)) return Problem.Invalid("apiKey", "apiKey is required");
        var valid = name == Anthropic ? AnthropicAdminKey().IsMatch(key) : OpenAiAdminKey().IsMatch(key);
        if (!valid)
            return Problem.Invalid("apiKey", name == Anthropic
                ? "apiKey must be an Anthropic admin key (sk-ant-admin…)"
                : "apiKey must be an OpenAI admin key (sk-admin-…)");
        return Result<(string, string)>.Ok((name, key));
    }

    public string Protect(string key) => _protector.Protect(key);

    public string Unprotect(string protectedKey) => _protector.Unprotect(protectedKey);

    /// <summary><c>sk-ant-admin…a3b9</c>: the documented prefix and the last four characters.</summary>
    public static string Hint(string provider, string key) =>
        (provider == Anthropic ? "sk-ant-admin" : "sk-admin-") + "…" + key[^4..];
}
