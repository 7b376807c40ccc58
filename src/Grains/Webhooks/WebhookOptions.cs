namespace Actors.Grains.Webhooks;

/// <summary>Settings of webhook delivery (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>Deliveries one silo sends at the same time (its worker pool).</summary>
    public int Workers { get; set; } = 32;

    /// <summary>Deliveries to one endpoint in flight at once per silo, so one slow receiver holds at most this many workers.</summary>
    public int PerEndpointConcurrency { get; set; } = 4;

    /// <summary>How often a silo looks for due deliveries when it found none (real time).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A receiver that has not answered with a 2xx within this time failed the attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long <c>POST …/webhooks/test</c> waits for the receiver: it answers within one grain
    /// call, so within the API's <c>Cluster:ResponseTimeout</c> (10 s by default).
    /// </summary>
    public TimeSpan TestTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// How long a claimed delivery stays a silo's (domain clock): a silo that dies mid-send leaves it
    /// to be sent again, with the same webhook-id, once this passed. Longer than <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>An endpoint whose every attempt failed for this long is disabled and its owner emailed.</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(5);

    /// <summary>
    /// Lets deliveries reach loopback, private and link-local addresses (tests, a developer's own
    /// machine). Off by default: such targets are refused at registration and at connect time.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// How long finished events (delivered, failed, settled) and delivery attempts are kept for the
    /// deliveries list and manual retries; housekeeping deletes older ones, so neither table grows forever.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}
