using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Actors.Grains.Platform;

namespace Actors.Grains.Email;

/// <summary>
/// Sends outbox emails through an SMTP server with MailKit. One session serves one batch of the
/// outbox: it connects on the first email and disconnects when the batch is done.
/// </summary>
public sealed class SmtpMailSender(SmtpOptions options) : IAsyncDisposable
{
    readonly SmtpClient _client = new();

    public async Task Send(OutboxEmail email, CancellationToken ct)
    {
        if (!_client.IsConnected)
        {
            await _client.ConnectAsync(options.Host!, options.Port, Enum.Parse<SecureSocketOptions>(options.Security, ignoreCase: true), ct);
            if (!string.IsNullOrEmpty(options.Username))
                await _client.AuthenticateAsync(options.Username, options.Password ?? "", ct);
        }
        await _client.SendAsync(ToMime(email), ct);
    }

    public MimeMessage ToMime(OutboxEmail email)
    {
        var message = new MimeMessage
        {
            MessageId = email.Id + "@actors.local",
            Date = email.CreatedAt,
            Subject = email.Subject,
            Body = new TextPart("plain") { Text = email.TextBody },
        };
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        try { if (_client.IsConnected) await _client.DisconnectAsync(quit: true); }
        catch (Exception e) when (e is IOException or MailKit.ServiceNotConnectedException or SmtpProtocolException) { }
        _client.Dispose();
    }
}
