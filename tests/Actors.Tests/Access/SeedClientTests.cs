using System.Diagnostics;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Access;

/// <summary>
/// The seed document's own Python <c>AgentThresholdClient</c>, copied verbatim; only its
/// <c>base_url</c> and the publisher URL are ours. Runs with python3 + requests.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SeedClientTests(ActorsStack stack)
{
    // Verbatim from seeds/002 ("Python Example"), up to "# Usage".
    const string SeedClient = """
        import requests

        class AgentThresholdClient:
            def __init__(self, api_key):
                self.api_key = api_key
                self.base_url = "https://tollio.ai"

            def discover_content(self, url):
                \"\"\"Check if content is AgentThreshold-enabled (FREE).\"\"\"
                response = requests.head(url)

                if response.headers.get('X-AgentThreshold') != 'enabled':
                    return None

                return {
                    'content_id': response.headers.get('X-AgentThreshold-Content-Id'),
                    'domain': response.headers.get('X-AgentThreshold-Domain'),
                    'tier': int(response.headers.get('X-AgentThreshold-Tier')),
                    'license_id': response.headers.get('X-AgentThreshold-License-Id'),
                }

            def authorize_retrieval(self, url, content_id, domain, tier):
                \"\"\"Request access token (SPENDS CREDITS).\"\"\"
                response = requests.post(
                    f'{self.base_url}/api/v1/agent/retrieve/authorize',
                    headers={'Authorization': f'Bearer {self.api_key}'},
                    json={
                        'url': url,
                        'content_id': content_id,
                        'domain': domain,
                        'tier': tier
                    }
                )
                return response.json()

            def fetch_content(self, content_url, access_token):
                \"\"\"Fetch content from publisher (FREE - already paid).\"\"\"
                response = requests.get(
                    content_url,
                    headers={'Authorization': f'Bearer {access_token}'}
                )
                return response.json()

            def retrieve(self, url):
                \"\"\"Complete workflow: discover → authorize → fetch.\"\"\"
                # Step 1: Discover (free)
                metadata = self.discover_content(url)
                if not metadata:
                    raise Exception("Content not AgentThreshold-enabled")

                # Step 2: Authorize (spends credits)
                auth = self.authorize_retrieval(
                    url,
                    metadata['content_id'],
                    metadata['domain'],
                    metadata['tier']
                )

                # Step 3: Fetch content (free)
                content = self.fetch_content(
                    auth['content_url'],
                    auth['access_token']
                )

                return content

        """;

    // The seed's "# Usage" with our key, base URL and publisher URL.
    const string Usage = """
        import json, sys
        client = AgentThresholdClient(api_key=sys.argv[1])
        client.base_url = sys.argv[2]
        content = client.retrieve(sys.argv[3])
        print(content['title'])
        print(json.dumps(content))
        """;

    [Fact]
    public async Task The_seed_python_client_discovers_authorizes_and_fetches()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 100);
        var article = await stack.NewArticle(tier: 3);
        var script = Path.Combine(Path.GetTempPath(), $"agentthreshold-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, SeedClient.Replace("\\\"", "\"") + Usage);
        try
        {
            var python = await PythonWithRequests();
            var (exit, output, error) = await Run(python, script, subscriber.ApiKey, new Uri(stack.ApiUrl, "/access").ToString(), article.Url);

            Assert.True(exit == 0, $"python3 exited {exit}: {error}");
            var lines = output.Split('\n', 2);
            Assert.Equal("How to Build AI Agents", lines[0].Trim());
            var content = JsonDocument.Parse(lines[1]).RootElement;
            Assert.Equal(article.ContentId, content.GetProperty("content_id").GetString());
            Assert.StartsWith("# Full article content here", content.GetProperty("content_markdown").GetString());
            Assert.Equal(97, await subscriber.RemainingCredits());
        }
        finally { File.Delete(script); }
    }

    /// <summary>The first python3 on this machine that has <c>requests</c> (.ci/run installs Debian's if none has).</summary>
    static async Task<string> PythonWithRequests()
    {
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                if ((await Run(candidate, "-c", "import requests")).Exit == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception) { /* not installed */ }
        }
        throw new InvalidOperationException("No python3 with the requests package: apt-get install python3-requests");
    }

    static async Task<(int Exit, string Output, string Error)> Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
