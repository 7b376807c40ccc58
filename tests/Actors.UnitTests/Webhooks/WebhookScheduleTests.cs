using Actors.Grains.Webhooks;

namespace Actors.UnitTests.Webhooks;

public sealed class WebhookScheduleTests
{
    static readonly TimeSpan[] Expected =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    [Fact]
    public void Eight_attempts_immediately_then_5s_5min_30min_2h_5h_10h_10h_with_at_most_10_percent_jitter()
    {
        Assert.Equal(8, WebhookSchedule.MaxAttempts);
        for (var attempt = 1; attempt <= 7; attempt++)
        {
            Assert.Equal(Expected[attempt - 1], WebhookSchedule.After(attempt, null, 0));
            Assert.Equal(Expected[attempt - 1] * 1.1, WebhookSchedule.After(attempt, null, 1));
            Assert.InRange(WebhookSchedule.After(attempt, null, 0.5)!.Value, Expected[attempt - 1], Expected[attempt - 1] * 1.1);
        }
        Assert.Null(WebhookSchedule.After(8, null, 0));
        Assert.Null(WebhookSchedule.After(8, TimeSpan.FromSeconds(1), 0));
    }

    [Fact]
    public void Retry_After_replaces_the_schedules_wait_up_to_10_hours()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), WebhookSchedule.After(1, TimeSpan.FromSeconds(120), 0.5));
        Assert.Equal(TimeSpan.FromSeconds(1), WebhookSchedule.After(3, TimeSpan.FromSeconds(1), 0.5));
        Assert.Equal(TimeSpan.FromHours(10), WebhookSchedule.After(1, TimeSpan.FromDays(3), 0));
    }

    [Fact]
    public void Retry_After_reads_seconds_and_http_dates()
    {
        var now = new DateTimeOffset(2026, 1, 30, 2, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(30), WebhookSchedule.RetryAfter("30", now));
        Assert.Equal(TimeSpan.FromMinutes(1), WebhookSchedule.RetryAfter("Fri, 30 Jan 2026 02:01:00 GMT", now));
        Assert.Null(WebhookSchedule.RetryAfter("soon", now));
        Assert.Null(WebhookSchedule.RetryAfter(null, now));
        Assert.Null(WebhookSchedule.RetryAfter("-5", now));
    }
}
