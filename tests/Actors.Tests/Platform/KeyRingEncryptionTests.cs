using System.Net;
using Actors.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Platform;

/// <summary>The Data Protection key ring is in PostgreSQL; its keys must not be readable from the database alone.</summary>
[Collection(StackCollection.Name)]
public sealed class KeyRingEncryptionTests(ActorsStack stack)
{
    [Fact]
    public async Task Every_stored_key_is_encrypted_with_the_key_encryption_key_and_reads_back()
    {
        // Storing a provider key needs the ring, so it has at least one key afterwards.
        var (agent, linkId, _) = await stack.ApprovedLink();
        Assert.Equal(HttpStatusCode.OK,
            (await agent.ConnectProvider(linkId, "anthropic", "sk-ant-admin01-" + new string('k', 40))).StatusCode);

        var stored = (long)(await stack.Postgres.Scalar("SELECT count(*) FROM data_protection_keys"))!;
        var encrypted = (long)(await stack.Postgres.Scalar(
            "SELECT count(*) FROM data_protection_keys WHERE xml LIKE '%<kekEncryptedKey%' AND xml NOT LIKE '%<masterKey%'"))!;
        Assert.True(stored > 0);
        Assert.Equal(stored, encrypted);

        // The silo reads the ring back from storage and decrypts every key with the same secret.
        var keys = stack.SiloServices.GetRequiredService<IKeyManager>().GetAllKeys();
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.NotNull(key.Descriptor));
    }
}
