using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Platform;

/// <summary>Settings of the Data Protection key ring (section <c>DataProtection</c>).</summary>
public sealed class KeyRingOptions
{
    public const int MinKeyLength = 32;

    /// <summary>
    /// The key-encryption key: a secret of at least 32 characters, kept outside the database
    /// (./run generates it in .data/secrets.env; Kubernetes reads it from a Secret). Every key of the
    /// ring is stored encrypted with it, so a copy of the database alone cannot decrypt what the
    /// ring protects (providers' admin keys).
    /// </summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>AES-256 key derived from the configured secret.</summary>
    internal byte[] Kek() => SHA256.HashData(Encoding.UTF8.GetBytes(
        KeyEncryptionKey is { Length: >= MinKeyLength } secret ? secret
            : throw new InvalidOperationException($"DataProtection:KeyEncryptionKey must be at least {MinKeyLength} characters")));
}

/// <summary>Encrypts each new key of the ring with AES-256-GCM under the key-encryption key.</summary>
public sealed class KeyRingEncryptor(IOptions<KeyRingOptions> options) : IXmlEncryptor
{
    public const string ElementName = "kekEncryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(options.Value.Kek(), tag.Length)) aes.Encrypt(nonce, plaintext, ciphertext, tag);
        var element = new XElement(ElementName,
            new XAttribute("alg", "A256GCM"),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Decrypts what <see cref="KeyRingEncryptor"/> wrote (Data Protection creates it by type, with the service provider).</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var kek = services.GetRequiredService<IOptions<KeyRingOptions>>().Value.Kek();
        var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
        var ciphertext = Convert.FromBase64String((string)encryptedElement.Element("value")!);
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(kek, tag.Length)) aes.Decrypt(nonce, ciphertext, tag, plaintext);
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
