namespace Actors.Grains.Platform;

/// <summary>Settings the domain needs from the host (section <c>Actors</c>).</summary>
public sealed class ActorsOptions
{
    /// <summary>The address humans and agents reach the API at; links in emails start with it.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Where emails are dropped as <c>.eml</c> files when no SMTP server is configured.</summary>
    public string MailDropPath { get; set; } = ".data/mail";

    /// <summary>An SMTP server to send emails through (section <c>Actors:Smtp</c>); without a host, emails go to the mail drop.</summary>
    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary><c>Auto</c> (STARTTLS when offered), <c>StartTls</c>, <c>SslOnConnect</c> or <c>None</c>.</summary>
    public string Security { get; set; } = "Auto";
    public string From { get; set; } = "Actors <no-reply@actors.local>";
}
