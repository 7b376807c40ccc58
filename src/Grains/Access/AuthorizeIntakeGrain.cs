using Actors.Grains.Platform;
using Actors.Grains.Ledger;
using Microsoft.Extensions.Logging;

namespace Actors.Grains.Access;

/// <summary>
/// Takes a batch of authorizations from an API process and spends them without a call to each
/// org grain: with the org's <see cref="OrgSpending"/> (its keys, and the period its credits are
/// for; asked once and remembered here for a minute) and the content's terms (asked once per
/// batch), each authorization is checked by the rules in <see cref="AccessSpending"/> and its
/// transfer joins the ledger's group commit with the rest of the batch. The ledger decides
/// whether the credits suffice, atomically and in order, so concurrent authorizations of one org
/// can never overdraw it. An agent this org's answer does not list (a key issued since), an org
/// whose period has ended (the org grain renews it first) or one not found go to the org grain,
/// which decides and explains exactly as <see cref="IOrgGrain.Authorize"/> does for one request.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class AuthorizeIntakeGrain(
    LedgerGroupCommit ledgerBatch,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock,
    ILogger<AuthorizeIntakeGrain> logger) : Grain, IAuthorizeIntakeGrain
{
    static readonly TimeSpan RememberedFor = TimeSpan.FromMinutes(1);
    /// <summary>Bounds this activation's memory: org answers and the keys they list, in all.</summary>
    const int MaxRemembered = 200_000;

    /// <summary>Per activation; touched only in this grain's turns.</summary>
    readonly Dictionary<string, Remembered> _orgs = new(StringComparer.Ordinal);
    int _remembered;

    public async Task<BatchAnswer<Authorization>[]> Authorize(OrgAuthorization[] authorizations)
    {
        var now = clock.GetUtcNow();
        var orgs = await Spending(authorizations, now);
        var answers = new IntakeAnswers<TransferResult, Authorization>(authorizations.Length,
            i => GrainFactory.GetGrain<IOrgGrain>(authorizations[i].OrgId).Authorize(authorizations[i].AgentId, authorizations[i].Command),
            logger, "An authorization for {OrgId} failed", i => authorizations[i].OrgId);
        var terms = new Dictionary<string, Task<ContentTerms?>>(StringComparer.Ordinal);

        for (var i = 0; i < authorizations.Length; i++)
        {
            var (orgId, agentId, command) = authorizations[i];
            if (!orgs.TryGetValue(orgId, out var org) || !org.Admits(agentId, now))
            {
                Forget(orgId); // asked again next time: a new key, a new period
                answers.ToOwner(i);
            }
            else if (AccessSpending.CheckCommand(command) is { } problem)
                answers.Answer(i, problem);
            else if (AccessSpending.ContentKey(command) is var content && !terms.ContainsKey(content))
                terms[content] = GrainFactory.GetGrain<IContentGrain>(content).GetTerms();
        }

        var spends = new Spend?[authorizations.Length];
        for (var i = 0; i < authorizations.Length; i++)
        {
            if (answers.Taken(i)) continue;
            var (orgId, agentId, command) = authorizations[i];
            try
            {
                var content = await terms[AccessSpending.ContentKey(command)];
                if (AccessSpending.CheckTerms(command, content) is { } problem)
                    answers.Answer(i, problem);
                else
                    spends[i] = AccessSpending.Prepare(orgId, agentId, command, content!, now);
            }
            catch (Exception e)
            {
                answers.Fail(i, e);
            }
        }

        // The batch's transfers go to the ledger as one group: one commit answers them all.
        var queued = Enumerable.Range(0, authorizations.Length).Where(i => spends[i] is not null).ToArray();
        var spent = ledgerBatch.TransferAll([.. queued.Select(i => (spends[i]!.Transfer, (LedgerWrite?)spends[i]!.Token))]);
        for (var k = 0; k < queued.Length; k++) answers.Fast(queued[k], spent[k]);

        return await answers.All((i, transfer) => AccessSpending.Answer(spends[i]!, transfer));
    }

    /// <summary>The spending answers of the batch's orgs: remembered ones, and the rest asked now (in parallel).</summary>
    async Task<Dictionary<string, Remembered>> Spending(OrgAuthorization[] authorizations, DateTimeOffset now)
    {
        var known = new Dictionary<string, Remembered>(StringComparer.Ordinal);
        Dictionary<string, Task<OrgSpending?>>? asked = null;
        foreach (var authorization in authorizations)
        {
            var orgId = authorization.OrgId;
            if (known.ContainsKey(orgId) || asked?.ContainsKey(orgId) == true) continue;
            if (_orgs.TryGetValue(orgId, out var remembered) && now - remembered.At < RememberedFor && now >= remembered.At)
                known[orgId] = remembered;
            else
                (asked ??= new(StringComparer.Ordinal))[orgId] = GrainFactory.GetGrain<IOrgGrain>(orgId).GetSpending();
        }
        if (asked is null) return known;

        if (_remembered + asked.Count * (OrgGrain.MaxKeys + 1) > MaxRemembered)
        {
            _orgs.Clear(); // start over: the answers are asked again as needed
            _remembered = 0;
        }
        foreach (var (orgId, answer) in asked)
        {
            try
            {
                // An org not found is not remembered: its grain answers for it.
                if (await answer is { } spending)
                {
                    Forget(orgId);
                    _orgs[orgId] = known[orgId] = new Remembered(spending, now);
                    _remembered += known[orgId].Size;
                }
            }
            catch (Exception e)
            {
                // Its authorizations go to the org grain, which reports the failure.
                logger.LogWarning(e, "Could not read the spending terms of {OrgId}", orgId);
            }
        }
        return known;
    }

    void Forget(string orgId)
    {
        if (_orgs.Remove(orgId, out var gone)) _remembered -= gone.Size;
    }

    sealed class Remembered(OrgSpending spending, DateTimeOffset at)
    {
        readonly HashSet<string> _members = new(spending.MemberAgentIds, StringComparer.Ordinal);

        public DateTimeOffset At { get; } = at;

        /// <summary>What this answer counts against <see cref="MaxRemembered"/>: the org and its keys.</summary>
        public int Size => _members.Count + 1;

        /// <summary>The agent is one of the org's keys, and the credits in the ledger are this period's.</summary>
        public bool Admits(string agentId, DateTimeOffset now) => now < spending.CreditedUntil && _members.Contains(agentId);
    }
}
