using Actors.Grains.Identity;

namespace Actors.UnitTests.Identity;

/// <summary>Random ids, keys and tokens, and the hash that is all we store of a secret.</summary>
public sealed class SecretsTests
{
    [Fact]
    public void A_secret_is_the_prefix_an_underscore_and_40_base62_characters()
    {
        Assert.Matches("^to_agent_[0-9A-Za-z]{40}$", RandomToken.Secret("to_agent"));
        Assert.Matches("^omx_[0-9A-Za-z]{40}$", RandomToken.Secret("omx"));
    }

    [Fact]
    public void An_id_is_the_prefix_an_underscore_and_24_base62_characters()
    {
        Assert.Matches("^agt_[0-9A-Za-z]{24}$", RandomToken.Id("agt"));
    }

    [Fact]
    public void Random_strings_use_the_whole_base62_alphabet_and_do_not_repeat()
    {
        var sample = RandomToken.Base62(20_000);
        var ids = Enumerable.Range(0, 1_000).Select(_ => RandomToken.Id("x")).ToHashSet();

        Assert.Equal(20_000, sample.Length);
        Assert.Equal(62, sample.Distinct().Count());
        Assert.All(sample, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        Assert.Equal(1_000, ids.Count);
    }

    [Theory]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("é", "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c")]
    public void The_hash_of_a_secret_is_lower_case_hex_sha256_of_its_utf8(string secret, string hash)
    {
        Assert.Equal(hash, SecretHash.Of(secret));
    }

    [Fact]
    public void An_api_key_s_grain_id_is_key_and_the_hash_of_the_key()
    {
        Assert.Equal("key_ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SecretHash.ApiKeyGrainId("abc"));
    }
}
