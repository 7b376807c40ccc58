using Actors.Api.Http;
using Actors.Grains.Offset;
using ModelContextProtocol;

namespace Actors.Api.Surfaces.Offset;

/// <summary>The API's own settings for the offset surface (section <c>Offset</c>).</summary>
public sealed class OffsetApiOptions
{
    public const string Section = "Offset";

    /// <summary>Report-usage requests on their way to the silo (<c>Offset:Intake:MaxBatch</c>, <c>Offset:Intake:InFlight</c>).</summary>
    public IntakeOptions Intake { get; set; } = new();
}

public static class OffsetSurface
{
    /// <summary>What the offset routes (<see cref="OffsetEndpoints.MapOffset"/>) and its MCP tools need.</summary>
    public static IHostApplicationBuilder AddOffset(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<OffsetApiOptions>(builder.Configuration.GetSection(OffsetApiOptions.Section));
        // The silo's mode, read from the same section: reports travel in batches when they are written in batches.
        services.Configure<UsageWriterOptions>(builder.Configuration.GetSection(UsageWriterOptions.Section));
        services.AddSingleton<UsageReports>();
        services.AddSingleton<OffsetOperations>();
        services.AddMcpServer(o => o.ServerInfo = new() { Name = "tokenoffset", Version = "1.0.0" })
            .WithHttpTransport(o => o.Stateless = true)
            // The tools' arguments follow the same text rule as every JSON body.
            .WithTools<OffsetMcpTools>(InputRules.WithRules(McpJsonUtilities.DefaultOptions));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, OffsetJsonContext.Default));
        return builder;
    }
}
