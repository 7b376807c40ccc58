using Microsoft.Extensions.Options;
using Actors.Grains.Platform;

namespace Actors.Grains.Access;

/// <summary>Absolute URLs of content we serve for publishers, from <see cref="ActorsOptions.PublicBaseUrl"/>.</summary>
public sealed class AccessUrls(IOptions<ActorsOptions> options)
{
    string Base => options.Value.PublicBaseUrl.TrimEnd('/');

    /// <summary>The page an agent discovers with HEAD.</summary>
    public string Page(string domain, string path) => $"{Base}/access/publishers/{domain}{path}";

    /// <summary>Where an agent fetches the content with its access token.</summary>
    public string Content(string domain, string contentId) =>
        $"{Base}/access/publishers/{domain}/agentthreshold/content/{Uri.EscapeDataString(contentId)}/";
}
