using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Actors.Grains.Platform;

namespace Actors.Grains.Email;

/// <summary>
/// Delivers the outbox: through SMTP when <c>Actors:Smtp:Host</c> is set, otherwise each email
/// becomes an <c>.eml</c> file in the mail drop folder, which a developer (or a test) opens like a
/// mailbox — also listed on the silo's development mailbox page (<c>/mail</c>, operator only).
/// </summary>
public sealed class MailDispatcher(
    EmailOutbox outbox,
    IOptions<ActorsOptions> options,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock,
    ILogger<MailDispatcher> logger) : BackgroundService
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var folder = Path.GetFullPath(options.Value.MailDropPath);
        System.IO.Directory.CreateDirectory(folder);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int sent;
                if (string.IsNullOrWhiteSpace(options.Value.Smtp.Host))
                    sent = await outbox.DeliverPending(email => WriteEml(folder, email), 50, stoppingToken, Undeliverable);
                else
                {
                    // A failed send rolls the batch back: its emails stay unsent and are retried.
                    await using var smtp = new SmtpMailSender(options.Value.Smtp);
                    sent = await outbox.DeliverPending(email => smtp.Send(email, stoppingToken), 50, stoppingToken, Undeliverable);
                }
                if (sent > 0) continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Email delivery failed; will retry");
            }
            try { await Task.Delay(PollInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    void Undeliverable(string emailId, Exception e) =>
        logger.LogError(e, "Email {EmailId} cannot be decrypted with the key ring and is dropped", emailId);

    static async Task WriteEml(string folder, OutboxEmail email)
    {
        var message = new StringBuilder()
            .Append("Message-ID: <").Append(email.Id).Append("@actors.local>\r\n")
            .Append("Date: ").Append(email.CreatedAt.ToString("r")).Append("\r\n")
            .Append("From: Actors <no-reply@actors.local>\r\n")
            .Append("To: <").Append(email.To).Append(">\r\n")
            .Append("Subject: ").Append(email.Subject).Append("\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: 8bit\r\n\r\n")
            .Append(email.TextBody.ReplaceLineEndings("\r\n")).Append("\r\n");
        // Write then rename, so a reader never sees half a message.
        var path = Path.Combine(folder, email.Id + ".eml");
        await File.WriteAllTextAsync(path + ".tmp", message.ToString());
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
