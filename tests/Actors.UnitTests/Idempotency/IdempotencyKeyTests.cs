using Actors.Grains.Identity;
using Actors.Grains.Idempotency;

namespace Actors.UnitTests.Idempotency;

/// <summary>The grain that serialises one caller's Idempotency-Key on one endpoint scope.</summary>
public sealed class IdempotencyKeyTests
{
    [Fact]
    public void The_grain_id_is_idem_and_the_hash_of_scope_subject_and_key()
    {
        var id = IdempotencyKey.GrainId("market.jobs", "agt_1", "key-1");

        Assert.Equal("idem_" + SecretHash.Of("market.jobs\nagt_1\nkey-1"), id);
        Assert.Equal(id, IdempotencyKey.GrainId("market.jobs", "agt_1", "key-1"));
    }

    [Fact]
    public void The_same_key_of_another_caller_or_scope_is_another_grain()
    {
        var ids = new[]
        {
            IdempotencyKey.GrainId("market.jobs", "agt_1", "key-1"),
            IdempotencyKey.GrainId("market.jobs", "agt_2", "key-1"),
            IdempotencyKey.GrainId("access.authorize", "agt_1", "key-1"),
            IdempotencyKey.GrainId("market.jobs", "agt_1", "key-2"),
        };

        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(255, IdempotencyKey.MaxLength);
    }
}
