namespace Actors.Grains.Payments;

public sealed class SandboxPayoutAccountState
{
    public string? OwnerId { get; set; }
    public bool Onboarded { get; set; }
    public bool RefusesPayouts { get; set; }
    public string? ReturnUrl { get; set; }
    public string? RefreshUrl { get; set; }
}

/// <summary>What the sandbox provider keeps about one payout account (see <see cref="ISandboxPayoutAccountGrain"/>).</summary>
public sealed class SandboxPayoutAccountGrain(
    [PersistentState("sandbox-payout-account", "store")] IPersistentState<SandboxPayoutAccountState> account)
    : Grain, ISandboxPayoutAccountGrain
{
    SandboxPayoutAccountState S => account.State;

    public async Task<SandboxPayoutAccount> Open(string ownerId, string? returnUrl, string? refreshUrl)
    {
        if (S.OwnerId is null || S.ReturnUrl != returnUrl || S.RefreshUrl != refreshUrl)
        {
            S.OwnerId ??= ownerId;
            S.ReturnUrl = returnUrl;
            S.RefreshUrl = refreshUrl;
            await account.WriteStateAsync();
        }
        return View();
    }

    public Task<SandboxPayoutAccount?> Get() => Task.FromResult(S.OwnerId is null ? null : View());

    public async Task<SandboxPayoutAccount?> CompleteOnboarding(string bankAccount)
    {
        if (S.OwnerId is null) return null;
        if (!S.Onboarded)
        {
            S.Onboarded = true;
            S.RefusesPayouts = bankAccount == SandboxPayoutAccount.RefusingBankAccount;
            await account.WriteStateAsync();
        }
        return View();
    }

    SandboxPayoutAccount View() =>
        new(this.GetPrimaryKeyString(), S.OwnerId!, S.Onboarded, S.RefusesPayouts, S.ReturnUrl, S.RefreshUrl);
}
