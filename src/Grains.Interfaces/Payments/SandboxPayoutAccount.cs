namespace Actors.Grains.Payments;

/// <summary>A sandbox payout account; <see cref="ReturnUrl"/> is where its onboarding page sends the operator when done.</summary>
[GenerateSerializer, Immutable]
public sealed record SandboxPayoutAccount(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string OwnerId,
    [property: Id(2)] bool Onboarded,
    [property: Id(3)] bool RefusesPayouts,
    [property: Id(4)] string? ReturnUrl,
    [property: Id(5)] string? RefreshUrl)
{
    /// <summary>Test bank accounts, as a provider's test mode offers them: the second refuses every payout.</summary>
    public const string PayableBankAccount = "000123456789";
    public const string RefusingBankAccount = "000111111116";
}
