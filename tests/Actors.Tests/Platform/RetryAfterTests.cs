using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.Api.Http;
using Actors.Api.Surfaces.Memory;
using Actors.Api.Surfaces.Offset;
using Actors.Grains.Platform;
using Actors.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Platform;

/// <summary>
/// A grain's 429 says when to come back; every error shape (problem details, Offset's
/// <c>{"error"}</c>, Memory's <c>{"success": false}</c>) carries it as Retry-After, and so does a rate limit.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class RetryAfterTests(ActorsStack stack)
{
    static readonly Problem SlowDown = Problem.TooManyRequests("Slow down", 42);

    static async Task<(HttpResponse Response, JsonElement Body)> Execute(IResult result)
    {
        var http = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider(),
        };
        http.Response.Body = new MemoryStream();
        await result.ExecuteAsync(http);
        http.Response.Body.Position = 0;
        return (http.Response, (await JsonDocument.ParseAsync(http.Response.Body)).RootElement.Clone());
    }

    [Fact]
    public async Task Problem_details_carry_the_grains_retry_after()
    {
        var (response, body) = await Execute(ApiProblem.From(SlowDown));

        Assert.Equal(StatusCodes.Status429TooManyRequests, response.StatusCode);
        Assert.Equal("42", response.Headers.RetryAfter.ToString());
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal("Slow down", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Offsets_error_shape_carries_the_grains_retry_after()
    {
        var (response, body) = await Execute(ErrorJson.From(SlowDown, new OffsetError(SlowDown.Message, SlowDown.Field)));

        Assert.Equal(StatusCodes.Status429TooManyRequests, response.StatusCode);
        Assert.Equal("42", response.Headers.RetryAfter.ToString());
        Assert.Equal("""{"error":"Slow down"}""", body.GetRawText());
    }

    [Fact]
    public async Task Memorys_error_shape_carries_the_grains_retry_after()
    {
        var (response, body) = await Execute(MemoryErrors.From(SlowDown));

        Assert.Equal(StatusCodes.Status429TooManyRequests, response.StatusCode);
        Assert.Equal("42", response.Headers.RetryAfter.ToString());
        Assert.Equal("""{"success":false,"error":"Slow down"}""", body.GetRawText());
    }

    [Fact]
    public async Task A_problem_without_a_time_to_come_back_has_no_retry_after()
    {
        var (response, body) = await Execute(MemoryErrors.From(Problem.Invalid("content", "content is required")));

        Assert.Equal(StatusCodes.Status400BadRequest, response.StatusCode);
        Assert.False(response.Headers.ContainsKey("Retry-After"));
        Assert.Equal("content", body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Quick_signups_past_60_a_minute_from_one_address_are_429_with_retry_after_in_the_seeds_shape()
    {
        // Bodies the grain refuses at once still count: the limit is on the address, before anything else.
        HttpResponseMessage? refused = null;
        for (var i = 0; i <= 60 && refused is null; i++)
        {
            var response = await stack.Http.PostAsJsonAsync("/offset/api/agents/quick-signup", new { userName = "nobody" });
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            else Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        try
        {
            Assert.NotNull(refused);
            var retryAfter = (int)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
            Assert.InRange(retryAfter, 1, 60);
            Assert.True(refused.Headers.Contains("RateLimit"));
            Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
            var body = await refused.ReadJson();
            Assert.Equal(
                $"Rate limit: too many quick signups from this address. Try again in {retryAfter} seconds.",
                body.GetProperty("error").GetString());
            Assert.False(body.TryGetProperty("field", out _));
        }
        finally
        {
            // Every test calls from this address: give the others a fresh window.
            stack.Clock.Advance(TimeSpan.FromMinutes(1));
        }
    }
}
