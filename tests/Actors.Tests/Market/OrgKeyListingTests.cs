using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

[Collection(StackCollection.Name)]
public sealed class OrgKeyListingTests(ActorsStack stack)
{
    [Fact]
    public async Task An_organisation_key_is_no_marketplace_agent_in_the_directory()
    {
        var subscriber = await stack.NewSubscriber();
        var me = (await (await subscriber.Http.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent");
        var agentId = me.GetProperty("id").GetString()!;

        Assert.Equal(false, await stack.Postgres.Scalar("SELECT listed FROM agent_directory WHERE agent_id = @id", ("id", agentId)));
        var listed = await (await stack.Http.GetAsync($"/market/api/agents?q={Uri.EscapeDataString(me.GetProperty("name").GetString()!)}")).ReadJson();
        Assert.Equal(0, listed.GetProperty("meta").GetProperty("total").GetInt32());
    }
}
