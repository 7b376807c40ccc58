namespace Actors.Grains.Payments;

public static class PaymentsServices
{
    /// <summary>The payment provider checkouts pay through: the local sandbox, the only one so far.</summary>
    public static IServiceCollection AddPayments(this IServiceCollection services)
    {
        services.AddSingleton<IPaymentProvider, SandboxPaymentProvider>();
        return services;
    }
}
