using Actors.Grains.Webhooks;

namespace Actors.UnitTests.Webhooks;

public sealed class WebhookSigningTests
{
    [Fact]
    public void The_signature_matches_the_standard_webhooks_example()
    {
        // The Standard Webhooks specification's example: secret, id, timestamp, body and signature.
        var signature = WebhookSigning.Signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Several_secrets_give_space_separated_signatures_newest_first()
    {
        var (a, b) = (WebhookSigning.NewSecret(), WebhookSigning.NewSecret());
        var header = WebhookSigning.Header([a, b], "msg_x", 1, "{}");
        Assert.Equal($"{WebhookSigning.Signature(a, "msg_x", 1, "{}")} {WebhookSigning.Signature(b, "msg_x", 1, "{}")}", header);
    }

    [Fact]
    public void A_secret_is_whsec_and_the_base64_of_32_random_bytes()
    {
        var secret = WebhookSigning.NewSecret();
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret[6..]).Length);
        Assert.NotEqual(secret, WebhookSigning.NewSecret());
    }
}
