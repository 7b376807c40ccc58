namespace Actors.Grains.Offset;

/// <summary>Settings of the offset surface's domain (section <c>Offset</c>).</summary>
public sealed class OffsetOptions
{
    /// <summary>How long a human has to approve a link.</summary>
    public TimeSpan ApprovalWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>At most one approval email per recipient per this window.</summary>
    public TimeSpan ApprovalEmailInterval { get; set; } = TimeSpan.FromHours(1);

    public UsageWriterOptions UsageWriter { get; set; } = new();

    public Co2eOptions Co2e { get; set; } = new();
}

/// <summary>
/// Estimated grams of CO2e per 1,000 tokens, by model name fragment (the longest fragment contained
/// in the model name wins, case-insensitively). Estimates, not measurements: see README.
/// </summary>
public sealed class Co2eOptions
{
    public const string Method =
        "Estimate: weighted tokens (input + output + reasoning + cached input × CachedInputWeight) / 1000 × grams CO2e per 1,000 tokens for the model family (Offset:Co2e settings).";

    public double DefaultGramsPerThousandTokens { get; set; } = 0.5;

    /// <summary>Cached input tokens are cheap to serve: they count at this fraction.</summary>
    public double CachedInputWeight { get; set; } = 0.1;

    public Dictionary<string, double> GramsPerThousandTokens { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["haiku"] = 0.15,
        ["mini"] = 0.15,
        ["nano"] = 0.1,
        ["flash"] = 0.15,
        ["sonnet"] = 0.5,
        ["gpt-4o"] = 0.5,
        ["gpt-4o-mini"] = 0.15,
        ["gpt-4.1-mini"] = 0.15,
        ["gpt-4.1-nano"] = 0.1,
        ["gpt-4.1"] = 0.5,
        ["gemini"] = 0.5,
        ["opus"] = 1.5,
        ["gpt-5"] = 1.0,
        ["o1"] = 1.5,
        ["o3"] = 1.5,
    };

    public double FactorFor(string model)
    {
        string? best = null;
        foreach (var key in GramsPerThousandTokens.Keys)
            if (model.Contains(key, StringComparison.OrdinalIgnoreCase) && (best is null || key.Length > best.Length))
                best = key;
        return best is null ? DefaultGramsPerThousandTokens : GramsPerThousandTokens[best];
    }

    public double Grams(string model, UsageTotals t) =>
        (t.InputTokens + t.OutputTokens + t.ReasoningTokens + t.CachedInputTokens * CachedInputWeight) / 1000.0 * FactorFor(model);
}
