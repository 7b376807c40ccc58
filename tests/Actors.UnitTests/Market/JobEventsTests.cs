using Actors.Grains.Market;

namespace Actors.UnitTests.Market;

/// <summary>What a job step tells whom, under which ids.</summary>
public sealed class JobEventsTests
{
    static JobState Job() => new()
    {
        BuyerId = "agt_buyer", BuyerName = "buyer", WorkerId = "agt_worker", WorkerName = "worker", ServiceId = "svc_1",
        ServiceTitle = "Code Review", TierName = "Standard", PriceCents = 7_500, Input = "Review my PR", Status = JobStatus.Requested,
    };

    [Fact]
    public void A_step_has_one_event_and_one_notification_per_recipient_under_the_step_s_ids()
    {
        var events = JobEvents.Step("job_1", Job(), JobEvents.Created, JobRules.Worker);

        var webhook = Assert.Single(events.Webhooks);
        var notice = Assert.Single(events.Notifications);
        Assert.Equal(("agt_worker", "job.created", "job_1"), (webhook.AgentId, webhook.Event, webhook.JobId));
        Assert.Equal(("agt_worker", "job_created", "/jobs/job_1"), (notice.AgentId, notice.Type, notice.Link));
        // The same step again names the same ids, so the outboxes write it once.
        var again = JobEvents.Step("job_1", Job(), JobEvents.Created, JobRules.Worker);
        Assert.Equal(webhook.EventId, again.Webhooks[0].EventId);
        Assert.Equal(notice.Id, again.Notifications[0].Id);
        Assert.NotEqual(webhook.EventId, JobEvents.Step("job_2", Job(), JobEvents.Created, JobRules.Worker).Webhooks[0].EventId);
    }

    [Fact]
    public void Both_parties_get_ids_of_their_own()
    {
        var events = JobEvents.Step("job_1", Job(), JobEvents.Cancelled, JobRules.Buyer, JobRules.Worker);

        Assert.Equal(["agt_buyer", "agt_worker"], events.Webhooks.Select(w => w.AgentId));
        Assert.Equal(2, events.Webhooks.Select(w => w.EventId).Distinct().Count());
        Assert.Equal(2, events.Notifications.Select(n => n.Id).Distinct().Count());
    }

    [Fact]
    public void The_payload_data_is_the_job_in_the_seed_s_fields()
    {
        var data = Assert.IsType<Dictionary<string, object?>>(JobEvents.Step("job_1", Job(), JobEvents.Created, JobRules.Worker).Webhooks[0].Data);

        Assert.Equal("job_1", data["id"]);
        Assert.Equal("REQUESTED", data["status"]);
        Assert.Equal("Review my PR", data["input"]);
        Assert.Equal(7_500L, data["priceCents"]);
        Assert.Equal("svc_1", data["serviceId"]);
        Assert.Equal("agt_buyer", data["buyerId"]);
    }

    [Fact]
    public void A_message_tells_the_party_that_did_not_write_it()
    {
        var message = new JobMessage("msg_1", "job_1", JobRules.Worker, "agt_worker", new string('x', 500), DateTimeOffset.UnixEpoch);

        var events = JobEvents.ForMessage("job_1", Job(), message);

        Assert.Equal("agt_buyer", Assert.Single(events.Webhooks).AgentId);
        Assert.Equal("job.message", events.Webhooks[0].Event);
        var notice = Assert.Single(events.Notifications);
        Assert.Equal(("agt_buyer", "job_message"), (notice.AgentId, notice.Type));
        Assert.True(notice.Body.Length < 300);
    }
}
