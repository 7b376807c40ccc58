using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Actors.Grains.Platform;
using Actors.Grains.Email;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Email;

[Collection(StackCollection.Name)]
public sealed class EmailDeliveryTests(ActorsStack stack)
{
    [Fact]
    public async Task With_an_smtp_server_configured_emails_are_sent_with_mailkit()
    {
        await using var server = new FakeSmtpServer();
        var email = new OutboxEmail("eml_test1", "jordan@example.com", "Approve your agent", "Open this link:\nhttps://example.test/a?b=c\n", DateTimeOffset.UtcNow);

        await using (var smtp = new SmtpMailSender(new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = "None" }))
            await smtp.Send(email, CancellationToken.None);

        var message = Assert.Single(server.Messages);
        Assert.Contains("Subject: Approve your agent", message);
        Assert.Contains("jordan@example.com", message);
        Assert.Contains("https://example.test/a?b=c", message);
    }

    [Fact]
    public async Task The_development_mailbox_lists_dropped_emails_for_operators_only()
    {
        var agent = await stack.RegisterOffsetAgent();
        var recipient = Unique.Email("mailbox");
        await agent.SignUpUser(recipient);
        await MailDrop.WaitForLine(stack.MailDrop, recipient, stack.ApiUrl + "offset/approve?");

        using var http = new HttpClient { BaseAddress = stack.SiloUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/mail")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ActorsStack.OperatorUser}:{ActorsStack.OperatorPassword}")));
        var list = await http.GetStringAsync("/mail");
        Assert.Contains(recipient, list);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/mail/..%2Fsecrets")).StatusCode);
    }
}
