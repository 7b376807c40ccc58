using System.Text;
using Actors.Grains.Email;
using Actors.Grains.Idempotency;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Email;

/// <summary>Emails and idempotent responses written before their bodies were encrypted (0500) still work.</summary>
[Collection(StackCollection.Name)]
public sealed class EmailAtRestTests(ActorsStack stack)
{
    [Fact]
    public async Task An_email_queued_in_clear_before_encryption_is_delivered_and_then_erased()
    {
        var recipient = Unique.Email("legacy");
        var id = "eml_legacy" + Guid.NewGuid().ToString("N");
        await stack.Postgres.Scalar("INSERT INTO emails (email_id, recipient, subject, text_body, created_at) VALUES (@id, @to, 'Old', @body, now()) RETURNING 1",
            ("id", id), ("to", recipient), ("body", "Open this link:\nhttps://example.test/legacy?token=abc\n"));

        Assert.Equal("https://example.test/legacy?token=abc", await MailDrop.WaitForLine(stack.MailDrop, recipient, "https://example.test/legacy?"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await stack.Postgres.Scalar("SELECT sent_at FROM emails WHERE email_id = @id", ("id", id)) is DBNull)
        {
            Assert.True(DateTime.UtcNow < deadline, "the legacy email was never marked sent");
            await Task.Delay(100);
        }
        Assert.Equal(0L, await stack.Postgres.Scalar(
            "SELECT count(*) FROM emails WHERE email_id = @id AND (text_body IS NOT NULL OR protected_body IS NOT NULL)", ("id", id)));
    }

    [Fact]
    public async Task A_new_email_is_stored_encrypted()
    {
        var outbox = stack.SiloServices.GetRequiredService<EmailOutbox>();
        var recipient = Unique.Email("cipher");
        var secret = "live-token-" + Guid.NewGuid().ToString("N");
        await outbox.Enqueue(recipient, "Secret", "Your link: https://example.test/x?token=" + secret);

        // Either still queued (encrypted) or already sent (erased): never in clear.
        Assert.Equal(0L, await stack.Postgres.Scalar(
            "SELECT count(*) FROM emails WHERE recipient = @to AND (coalesce(text_body, '') LIKE '%' || @s || '%' OR coalesce(protected_body, '') LIKE '%' || @s || '%')",
            ("to", recipient), ("s", secret)));
        Assert.EndsWith(secret, await MailDrop.WaitForToken(stack.MailDrop, recipient, "Your link: "));
    }

    [Fact]
    public async Task An_idempotent_response_is_stored_encrypted_and_one_stored_in_clear_still_replays()
    {
        var store = stack.SiloServices.GetRequiredService<IdempotencyStore>();
        var body = Encoding.UTF8.GetBytes("{\"apiKey\":\"agnt_" + Guid.NewGuid().ToString("N") + "\"}");
        var keyId = "idem_test" + Guid.NewGuid().ToString("N");
        await store.Insert(keyId, new StoredIdempotentResponse("fp", new StoredResponse(201, "application/json", null, body), null, DateTimeOffset.UtcNow));

        var stored = (byte[])(await stack.Postgres.Scalar("SELECT body FROM idempotency_responses WHERE key_id = @id", ("id", keyId)))!;
        Assert.DoesNotContain("agnt_", Encoding.UTF8.GetString(stored));
        Assert.Equal(body, (await store.Find(keyId))!.Response.Body);

        // A row written before 0500: plain bytes, body_protected false.
        await stack.Postgres.Scalar("UPDATE idempotency_responses SET body = @body, body_protected = false WHERE key_id = @id RETURNING 1", ("id", keyId), ("body", body));
        Assert.Equal(body, (await store.Find(keyId))!.Response.Body);
    }
}
