using Actors.Grains.Market;
using Actors.Grains.Platform;
using Actors.Grains.Subscriptions;

namespace Actors.UnitTests.Subscriptions;

/// <summary>The schedule's arithmetic (slots, months), the reliability string and the checks of what may be done.</summary>
public sealed class SubscriptionRulesTests
{
    static readonly DateTimeOffset Created = new(2026, 2, 5, 9, 30, 0, TimeSpan.Zero);
    static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Fact]
    public void The_next_slot_is_one_interval_after_creation_until_then()
    {
        Assert.Equal(Created + Day, SubscriptionRules.NextSlot(Created, Day, Created));
        Assert.Equal(Created + Day, SubscriptionRules.NextSlot(Created, Day, Created + TimeSpan.FromHours(23)));
    }

    [Fact]
    public void A_slot_reached_exactly_is_past_the_next_one_is_strictly_after_now()
    {
        Assert.Equal(Created + 2 * Day, SubscriptionRules.NextSlot(Created, Day, Created + Day));
        Assert.Equal(Created + 2 * Day, SubscriptionRules.NextSlot(Created, Day, Created + Day + TimeSpan.FromTicks(10)));
    }

    [Fact]
    public void Many_missed_slots_give_one_next_slot_on_the_original_grid()
    {
        var now = Created + 5 * Day + TimeSpan.FromHours(3);

        var next = SubscriptionRules.NextSlot(Created, Day, now);

        Assert.Equal(Created + 6 * Day, next);
        Assert.True(next > now);
        Assert.True(next - now <= Day);
    }

    [Fact]
    public void Intervals_are_hours_of_the_configured_length_in_whole_microseconds()
    {
        Assert.Equal(TimeSpan.FromHours(720), SubscriptionRules.Interval(720, TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.FromMinutes(2), SubscriptionRules.Interval(1, TimeSpan.FromMinutes(2)));
        Assert.Equal(TimeSpan.FromMicroseconds(1), SubscriptionRules.Interval(1, TimeSpan.FromTicks(3)));
        Assert.Equal(TimeSpan.FromMicroseconds(3), SubscriptionRules.Interval(10, TimeSpan.FromTicks(3)));
    }

    [Fact]
    public void Stored_times_drop_what_postgres_does_not_keep()
    {
        var at = Created.AddTicks(1234567);
        Assert.Equal(Created.AddTicks(1234560), PgTime.Stored(at));
        Assert.Equal(Created, PgTime.Stored(Created));
    }

    [Fact]
    public void A_month_paid_on_time_moves_the_billing_one_calendar_month()
    {
        var due = Created.AddMonths(1);
        var next = new DateTimeOffset(2026, 4, 5, 9, 30, 0, TimeSpan.Zero);
        Assert.Equal((next, Created), SubscriptionRules.NextBilling(Created, due, due));
        Assert.Equal((next, Created), SubscriptionRules.NextBilling(Created, due, due + 3 * Day));
    }

    [Fact]
    public void Months_missed_together_are_charged_once_and_the_next_month_starts_from_the_payment()
    {
        var due = Created.AddMonths(1);
        var now = due.AddMonths(3).AddDays(2);

        Assert.Equal((now.AddMonths(1), now), SubscriptionRules.NextBilling(Created, due, now));
    }

    [Fact]
    public void A_payment_exactly_a_month_late_starts_a_month_from_now()
    {
        var due = Created.AddMonths(1);
        var now = due.AddMonths(1);
        Assert.Equal((now.AddMonths(1), now), SubscriptionRules.NextBilling(Created, due, now));
    }

    [Fact]
    public void Month_ends_fall_on_the_last_day_of_a_shorter_month_and_come_back_after_it()
    {
        var jan31 = new DateTimeOffset(2027, 1, 31, 12, 0, 0, TimeSpan.Zero);
        var feb28 = new DateTimeOffset(2027, 2, 28, 12, 0, 0, TimeSpan.Zero);
        var mar31 = new DateTimeOffset(2027, 3, 31, 12, 0, 0, TimeSpan.Zero);
        var apr30 = new DateTimeOffset(2027, 4, 30, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(feb28, jan31.AddMonths(1)); // the first month, from the start
        Assert.Equal((mar31, jan31), SubscriptionRules.NextBilling(jan31, feb28, feb28));
        Assert.Equal((apr30, jan31), SubscriptionRules.NextBilling(jan31, mar31, mar31 + Day));
        var leap = new DateTimeOffset(2028, 1, 31, 12, 0, 0, TimeSpan.Zero);
        var leapDay = new DateTimeOffset(2028, 2, 29, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal((new DateTimeOffset(2028, 3, 31, 12, 0, 0, TimeSpan.Zero), leap), SubscriptionRules.NextBilling(leap, leapDay, leapDay));
    }

    [Fact]
    public void A_restarted_anchor_counts_months_from_the_restart()
    {
        var resumed = new DateTimeOffset(2027, 5, 31, 8, 0, 0, TimeSpan.Zero);
        var due = resumed.AddMonths(1); // Jun 30
        Assert.Equal((new DateTimeOffset(2027, 7, 31, 8, 0, 0, TimeSpan.Zero), resumed), SubscriptionRules.NextBilling(resumed, due, due));
    }

    [Theory]
    [InlineData(0, 0, "N/A")]
    [InlineData(1, 0, "100.0%")]
    [InlineData(0, 3, "0.0%")]
    [InlineData(29, 1, "96.7%")]
    [InlineData(2, 1, "66.7%")]
    [InlineData(1, 2, "33.3%")]
    [InlineData(999, 1, "99.9%")]
    public void Reliability_is_successful_over_finished_runs_with_one_decimal(int successful, int failed, string expected) =>
        Assert.Equal(expected, SubscriptionRules.Reliability(successful, failed));

    [Fact]
    public void Reliability_does_not_follow_the_machine_culture()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("96.7%", SubscriptionRules.Reliability(29, 1));
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = culture; }
    }

    [Fact]
    public void A_run_id_is_the_slots_and_differs_between_slots_and_subscriptions()
    {
        var a = SubscriptionRules.RunId("sub_a", Created);
        Assert.Equal(a, SubscriptionRules.RunId("sub_a", Created));
        Assert.NotEqual(a, SubscriptionRules.RunId("sub_a", Created + Day));
        Assert.NotEqual(a, SubscriptionRules.RunId("sub_b", Created));
        Assert.Matches("^run_[0-9a-f]{32}$", a);
    }

    [Theory]
    [InlineData("pause", "pause")]
    [InlineData(" RESUME ", "resume")]
    [InlineData("Cancel", "cancel")]
    public void Actions_are_taken_in_any_case(string given, string expected) =>
        Assert.Equal(expected, SubscriptionRules.ParseAction(given).Value);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("stop")]
    public void An_unknown_action_is_a_400_naming_action(string? given) =>
        Assert.Equal(("action", ProblemKind.Invalid), (SubscriptionRules.ParseAction(given).Problem!.Field, SubscriptionRules.ParseAction(given).Problem!.Kind));

    [Theory]
    [InlineData(SubscriptionActions.Pause, SubscriptionStatus.Active, true)]
    [InlineData(SubscriptionActions.Pause, SubscriptionStatus.Paused, false)]
    [InlineData(SubscriptionActions.Pause, SubscriptionStatus.Cancelled, false)]
    [InlineData(SubscriptionActions.Resume, SubscriptionStatus.Paused, true)]
    [InlineData(SubscriptionActions.Resume, SubscriptionStatus.Active, false)]
    [InlineData(SubscriptionActions.Resume, SubscriptionStatus.Cancelled, false)]
    [InlineData(SubscriptionActions.Cancel, SubscriptionStatus.Active, true)]
    [InlineData(SubscriptionActions.Cancel, SubscriptionStatus.Paused, true)]
    [InlineData(SubscriptionActions.Cancel, SubscriptionStatus.Cancelled, false)]
    public void Each_action_applies_to_its_statuses_and_is_otherwise_a_409_naming_the_status(string action, string status, bool allowed)
    {
        var problem = SubscriptionRules.Allowed(action, status);
        if (allowed) Assert.Null(problem);
        else Assert.Equal((ProblemKind.Conflict, $"This subscription is {status}"), (problem!.Kind, problem.Message));
    }

    [Theory]
    [InlineData("completed", "COMPLETED")]
    [InlineData("FAILED", "FAILED")]
    public void A_report_takes_completed_or_failed_in_any_case(string given, string expected) =>
        Assert.Equal(expected, SubscriptionRules.CheckReport(new SubscriptionRunReport(given, null)).Value);

    [Theory]
    [InlineData(null)]
    [InlineData("RUNNING")]
    [InlineData("done")]
    public void A_report_with_another_status_is_a_400_naming_status(string? given) =>
        Assert.Equal("status", SubscriptionRules.CheckReport(new SubscriptionRunReport(given, null)).Problem!.Field);

    [Fact]
    public void A_report_output_is_at_most_fifty_thousand_characters()
    {
        Assert.True(SubscriptionRules.CheckReport(new SubscriptionRunReport("COMPLETED", new string('x', 50_000))).IsOk);
        Assert.Equal("output", SubscriptionRules.CheckReport(new SubscriptionRunReport("COMPLETED", new string('x', 50_001))).Problem!.Field);
    }

    [Fact]
    public void The_list_defaults_to_the_buyer_and_normalises_role_and_status()
    {
        var q = SubscriptionRules.CheckQuery(new SubscriptionQuery("agt_a", null, "active")).Value!;
        Assert.Equal((SubscriptionRoles.Buyer, SubscriptionStatus.Active), (q.Role, q.Status));
        Assert.Equal(SubscriptionRoles.Provider, SubscriptionRules.CheckQuery(new SubscriptionQuery("agt_a", "Provider", null)).Value!.Role);
    }

    [Theory]
    [InlineData("seller", null, null, null, "role")]
    [InlineData(null, "RUNNING", null, null, "status")]
    [InlineData(null, null, 0, null, "limit")]
    [InlineData(null, null, 101, null, "limit")]
    [InlineData(null, null, null, -1, "offset")]
    [InlineData(null, null, null, 100_001, "offset")]
    public void A_wrong_list_parameter_is_a_400_naming_it(string? role, string? status, int? limit, int? offset, string field) =>
        Assert.Equal(field, SubscriptionRules.CheckQuery(new SubscriptionQuery("agt_a", role, status, limit, offset)).Problem!.Field);

    static ServiceListing Listing(string type = ServiceType.Subscription, bool active = true, bool deleted = false, string agent = "agt_p") =>
        new("svc_1", agent, "Daily Market Analysis", "A report", "research", [], [], type,
            type == ServiceType.Subscription ? 1000 : null, type == ServiceType.Subscription ? 24 : null, active, deleted, Created, Created);

    [Fact]
    public void A_service_is_subscribed_to_only_when_it_is_an_active_subscription_of_another_agent()
    {
        Assert.Null(SubscriptionRules.CheckService("svc_1", Listing(), "agt_s"));
        Assert.Equal(ProblemKind.NotFound, SubscriptionRules.CheckService("svc_1", null, "agt_s")!.Kind);
        Assert.Equal(ProblemKind.NotFound, SubscriptionRules.CheckService("svc_1", Listing(deleted: true, active: false), "agt_s")!.Kind);
        Assert.Equal("Service 'svc_1' not found", SubscriptionRules.CheckService("svc_1", null, "agt_s")!.Message);
        var oneTime = SubscriptionRules.CheckService("svc_1", Listing(ServiceType.OneTime), "agt_s")!;
        Assert.Equal(("serviceId", ProblemKind.Invalid), (oneTime.Field, oneTime.Kind));
        Assert.Contains("hire it instead", oneTime.Message);
        Assert.Equal("serviceId", SubscriptionRules.CheckService("svc_1", Listing(), "agt_p")!.Field);
        Assert.Equal("serviceId", SubscriptionRules.CheckService("svc_1", Listing(active: false), "agt_s")!.Field);
    }
}
