using System.Xml.Linq;
using Actors.Grains.Platform;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Actors.UnitTests.Platform;

/// <summary>What every domain shares: problems and results, rate-limit keys, the key ring's encryption.</summary>
public sealed class PlatformTests
{
    [Fact]
    public void An_invalid_problem_names_its_field_and_a_too_many_requests_carries_its_retry_time()
    {
        Assert.Equal(new Problem(ProblemKind.Invalid, "x is required", "x"), Problem.Invalid("x", "x is required"));
        Assert.Equal(new Problem(ProblemKind.TooManyRequests, "slow down", null, 42), Problem.TooManyRequests("slow down", 42));
        Assert.Null(Problem.NotFound("no").Field);
        Assert.Equal(ProblemKind.PaymentRequired, Problem.PaymentRequired("pay").Kind);
    }

    [Fact]
    public void A_problem_converts_to_a_failed_result_and_ok_carries_the_value()
    {
        Result<int> failed = Problem.Conflict("taken");

        Assert.False(failed.IsOk);
        Assert.Equal(ProblemKind.Conflict, failed.Problem!.Kind);
        Assert.True(Result<int>.Ok(7).IsOk);
        Assert.Equal(7, Result<int>.Ok(7).Value);
    }

    [Fact]
    public void A_rate_limit_grain_is_keyed_by_scope_and_subject()
    {
        Assert.Equal("rl_offset.signup:203.0.113.7", RateLimitKey.For("offset.signup", "203.0.113.7"));
    }

    [Fact]
    public void The_key_encryption_key_is_sha256_of_a_secret_of_at_least_32_characters()
    {
        Assert.Equal(32, new KeyRingOptions { KeyEncryptionKey = new string('k', 32) }.Kek().Length);
        Assert.Throws<InvalidOperationException>(() => new KeyRingOptions { KeyEncryptionKey = new string('k', 31) }.Kek());
        Assert.Throws<InvalidOperationException>(() => new KeyRingOptions().Kek());
    }

    [Fact]
    public void A_key_of_the_ring_round_trips_through_aes_gcm_and_its_plaintext_is_not_stored()
    {
        var key = new XElement("key", new XAttribute("id", "k1"), new XElement("secret", "top-secret-material"));

        var encrypted = Encryptor(new string('a', 32)).Encrypt(key);

        Assert.Equal(KeyRingEncryptor.ElementName, encrypted.EncryptedElement.Name.LocalName);
        Assert.Equal(typeof(KeyRingDecryptor), encrypted.DecryptorType);
        Assert.DoesNotContain("top-secret-material", encrypted.EncryptedElement.ToString());
        Assert.True(XNode.DeepEquals(key, Decryptor(new string('a', 32)).Decrypt(encrypted.EncryptedElement)));
    }

    [Fact]
    public void Another_key_encryption_key_cannot_decrypt_the_ring()
    {
        var encrypted = Encryptor(new string('a', 32)).Encrypt(new XElement("key", "material"));

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(
            () => Decryptor(new string('b', 32)).Decrypt(encrypted.EncryptedElement));
    }

    static KeyRingEncryptor Encryptor(string kek) => new(Options.Create(new KeyRingOptions { KeyEncryptionKey = kek }));

    static KeyRingDecryptor Decryptor(string kek) =>
        new(new ServiceCollection().AddSingleton(Options.Create(new KeyRingOptions { KeyEncryptionKey = kek })).BuildServiceProvider());
}
