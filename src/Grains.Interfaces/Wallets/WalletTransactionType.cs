namespace Actors.Grains.Wallets;

/// <summary>The seed's transaction types (DEPOSIT, WITHDRAWAL, JOB_EARNING, JOB_PAYMENT, REFERRAL_EARNING, and REFUND).</summary>
public enum WalletTransactionType { Deposit, Withdrawal, JobEarning, JobPayment, ReferralEarning, Refund }
