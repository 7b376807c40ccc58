namespace Actors.Tests.Infrastructure;

/// <summary>Reads the <c>.eml</c> files the mail dispatcher drops, like a human reading a mailbox.</summary>
public static class MailDrop
{
    public static async Task<string> WaitForToken(string folder, string recipient, string marker, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.eml"))
            {
                var text = await File.ReadAllTextAsync(file);
                if (!text.Contains($"To: <{recipient}>", StringComparison.OrdinalIgnoreCase)) continue;
                var line = text.Split("\r\n").FirstOrDefault(l => l.StartsWith(marker, StringComparison.Ordinal));
                if (line is not null) return line[marker.Length..].Trim();
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No email to {recipient} containing '{marker}' arrived in {folder}");
    }

    /// <summary>The first line (e.g. a URL a human must open) that starts with <paramref name="prefix"/>, in an email to the recipient.</summary>
    public static async Task<string> WaitForLine(string folder, string recipient, string prefix, TimeSpan? timeout = null) =>
        prefix + await WaitForToken(folder, recipient, prefix, timeout);

    /// <summary>
    /// How many emails the recipient has received once everything enqueued so far has been
    /// delivered: waits until the <c>emails</c> outbox has no unsent row (the dispatcher writes
    /// each <c>.eml</c> before it marks the row sent), so a "nothing arrived" check is not a guess
    /// about how long delivery takes. Reads only <c>sent_at</c>: bodies may be encrypted or dropped.
    /// </summary>
    public static async Task<int> CountWhenDelivered(this ActorsStack stack, string recipient, TimeSpan? timeout = null)
    {
        await stack.WaitForOutboxToDrain(timeout);
        return CountFor(stack.MailDrop, recipient);
    }

    /// <summary>Waits until the mail dispatcher has delivered every email enqueued so far.</summary>
    public static async Task WaitForOutboxToDrain(this ActorsStack stack, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while ((long)(await stack.Postgres.Scalar("SELECT count(*) FROM emails WHERE sent_at IS NULL"))! > 0)
        {
            if (DateTime.UtcNow >= deadline) throw new TimeoutException("The email outbox still has unsent emails");
            await Task.Delay(50);
        }
    }

    /// <summary>How many emails the recipient has received so far.</summary>
    public static int CountFor(string folder, string recipient) =>
        Directory.EnumerateFiles(folder, "*.eml")
            .Count(file => File.ReadAllText(file).Contains($"To: <{recipient}>", StringComparison.OrdinalIgnoreCase));
}
