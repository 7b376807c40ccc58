using Actors.Grains.Offset;

namespace Actors.UnitTests.Offset;

/// <summary>The format rules of provider admin keys and the masked hint shown instead of them.</summary>
public sealed class ProviderKeysTests
{
    static readonly string Tail16 = new('A', 16);

    [Theory]
    [InlineData("anthropic", "sk-ant-admin01-")]
    [InlineData(" Anthropic ", "sk-ant-admin")]
    [InlineData("openai", "sk-admin-")]
    [InlineData("OPENAI", "sk-admin-")]
    public void An_admin_key_of_the_provider_is_accepted_and_the_provider_normalised(string provider, string prefix)
    {
        var result = ProviderKeys.Check(provider, "  " + prefix + Tail16 + "  ");

        Assert.True(result.IsOk);
        Assert.Equal(provider.Trim().ToLowerInvariant(), result.Value.Provider);
        Assert.Equal(prefix + Tail16, result.Value.Key);
    }

    [Theory]
    [InlineData(16, true)]
    [InlineData(250, true)]
    [InlineData(15, false)]
    [InlineData(251, false)]
    public void The_part_after_the_prefix_is_16_to_250_characters(int length, bool accepted)
    {
        var result = ProviderKeys.Check("openai", "sk-admin-" + new string('x', length));

        Assert.Equal(accepted, result.IsOk);
        if (!accepted) Assert.Equal("apiKey", result.Problem?.Field);
    }

    [Theory]
    [InlineData("anthropic", "sk-admin-AAAAAAAAAAAAAAAA")]
    [InlineData("openai", "sk-ant-adminAAAAAAAAAAAAAAAA")]
    [InlineData("anthropic", "sk-ant-api03-AAAAAAAAAAAAAAAA")]
    [InlineData("openai", "sk-admin-AAAAAAAA AAAAAAAA")]
    public void A_key_of_another_kind_or_provider_is_refused(string provider, string key)
    {
        var result = ProviderKeys.Check(provider, key);

        Assert.Equal("apiKey", result.Problem?.Field);
        Assert.Contains(provider == "anthropic" ? "sk-ant-admin" : "sk-admin-", result.Problem!.Message);
    }

    [Theory]
    [InlineData(null, "provider")]
    [InlineData("  ", "provider")]
    [InlineData("gemini", "provider")]
    public void The_provider_must_be_anthropic_or_openai(string? provider, string field)
    {
        Assert.Equal(field, ProviderKeys.Check(provider, "sk-admin-" + Tail16).Problem?.Field);
    }

    [Fact]
    public void A_missing_key_is_refused_naming_the_key()
    {
        Assert.Equal("apiKey is required", ProviderKeys.Check("openai", " ").Problem?.Message);
        Assert.Equal("apiKey", ProviderKeys.Check("openai", null).Problem?.Field);
    }

    [Fact]
    public void The_hint_is_the_documented_prefix_and_the_last_four_characters()
    {
        Assert.Equal("sk-ant-admin…a3b9", ProviderKeys.Hint(ProviderKeys.Anthropic, "sk-ant-admin01-" + Tail16 + "a3b9"));
        Assert.Equal("sk-admin-…zz99", ProviderKeys.Hint(ProviderKeys.OpenAi, "sk-admin-" + Tail16 + "zz99"));
    }
}
