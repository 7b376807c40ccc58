namespace Actors.Grains;

/// <summary>Settings the domain needs from the host (section <c>Actors</c>).</summary>
public sealed class ActorsOptions
{
    /// <summary>The address humans and agents reach the API at; links in emails start with it.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Where emails are dropped as <c>.eml</c> files when no SMTP server is configured.</summary>
    public string MailDropPath { get; set; } = ".data/mail";
}
