using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Offset;

/// <summary>
/// Issue 12, "both or neither": a link's pending state and its approval email in the outbox are
/// kept together or not at all when the outbox write fails for real, and a retry completes.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class LinkAtomicityTests(ActorsStack stack)
{
    [Fact]
    public async Task A_signup_whose_approval_email_fails_keeps_no_pending_link_and_its_retry_sends_one()
    {
        var agent = await stack.RegisterOffsetAgent();
        var email = Unique.Email("user");

        await using (await TableObstacle.Install(stack.Postgres, "emails", $"NEW.recipient = '{email}'"))
        {
            var refused = await agent.SignUpUserRaw(email);
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());

            Assert.Equal(0L, await stack.Postgres.Scalar(
                "SELECT count(*) FROM orleans_grain_state WHERE position(@link in coalesce(convert_from(payload, 'UTF8'), '')) > 0",
                ("link", $"\"userEmail\":\"{email}\"")));
            Assert.Equal(0L, await stack.Postgres.Scalar("SELECT count(*) FROM emails WHERE recipient = @email", ("email", email)));
        }

        // The failed attempt gave its approval-email allowance back: the retry, at once, opens a
        // fresh link and mails it (no 429 for an email nobody got).
        var signup = await agent.SignUpUser(email);
        var linkId = signup.GetProperty("linkId").GetString()!;
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT count(*) FROM emails WHERE recipient = @email", ("email", email)));

        Assert.Equal(HttpStatusCode.OK, (await stack.ApproveByEmail(email)).StatusCode);
        var status = await (await agent.LinkStatus(linkId)).ReadJson();
        Assert.Contains("approved", status.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
