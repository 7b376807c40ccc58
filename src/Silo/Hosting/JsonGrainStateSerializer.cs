using System.Text.Json;
using Orleans.Storage;

namespace Actors.Silo.Hosting;

/// <summary>
/// Grain state is stored as plain JSON without CLR type names, so renaming a state class or
/// moving it between assemblies does not orphan stored state (the provider's default
/// Newtonsoft serializer embeds <c>$type</c> names).
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input, Options);

    public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(Options)!;
}
