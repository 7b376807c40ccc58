using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Actors.Grains.Platform;

public static class PlatformServices
{
    /// <summary>
    /// What every domain's grains use: the domain clock, the stores' data source, the
    /// <see cref="ActorsOptions"/> (section <c>Actors</c>) and the Data Protection key ring that
    /// encrypts secrets at rest (section <c>DataProtection</c>, validated at start).
    /// </summary>
    /// <param name="connectionString">The stores' connection string, as the host settled it (pool size, reset on close).</param>
    public static IServiceCollection AddPlatform(this IServiceCollection services, IConfiguration config, string connectionString)
    {
        // A clock the host registered first (the tests' fake clock) stays the domain clock.
        services.TryAddKeyedSingleton(DomainClock.Key, TimeProvider.System);
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.Configure<ActorsOptions>(config.GetSection("Actors"));

        services.AddDataProtection().SetApplicationName("Actors");
        services.AddSingleton<DataProtectionKeyStore>();
        services.AddOptions<KeyRingOptions>().Bind(config.GetSection("DataProtection"))
            .Validate(o => o.KeyEncryptionKey is { Length: >= KeyRingOptions.MinKeyLength },
                $"DataProtection:KeyEncryptionKey must be set to a secret of at least {KeyRingOptions.MinKeyLength} characters")
            .ValidateOnStart();
        services.AddSingleton<KeyRingEncryptor>();
        // The ring lives in PostgreSQL; each key in it is encrypted with a key that does not.
        services.AddOptions<KeyManagementOptions>()
            .Configure<DataProtectionKeyStore, KeyRingEncryptor>((o, store, encryptor) =>
            {
                o.XmlRepository = store;
                o.XmlEncryptor = encryptor;
            });
        return services;
    }
}
