using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Crypto;

namespace SignalSharp.SealedSender;

/// <summary>
/// Sealed sender v1 (one recipient): <c>0x11 ‖ {1 ephemeral public, 2 encrypted static (33 + 10), 3 encrypted
/// message (|USMC| + 10)}</c>. Keys: HKDF over DH(e, R) salted with "UnidentifiedDelivery" ‖ R ‖ e gives the
/// chain key and the static key's AES-CTR and MAC keys; HKDF over DH(S, R) salted with chain ‖ encrypted static
/// gives the message keys. MACs are HMAC-SHA256 truncated to 10 bytes.
/// </summary>
internal static class SealedSenderV1
{
    public const byte Version = 0x11;
    private const int MacLength = 10;
    private const int KeySize = 32;

    private static ReadOnlySpan<byte> SaltPrefix => "UnidentifiedDelivery"u8;

    public static byte[] Seal(IdentityKeyPair sender, IdentityKey recipient, ReadOnlySpan<byte> usmc, RandomSource random, StaticAgreementCache? cache = null)
    {
        using var ephemeral = EcPrivateKey.Generate(random);
        ReadOnlySpan<byte> ephemeralPublic = ephemeral.PublicKey.SerializedMemory.Span;
        ReadOnlySpan<byte> recipientKey = recipient.PublicKey.SerializedMemory.Span;
        Span<byte> secret = stackalloc byte[KeySize];
        Span<byte> keys = stackalloc byte[3 * KeySize];
        Span<byte> encryptedStatic = stackalloc byte[33 + MacLength];
        var encryptedMessage = new byte[usmc.Length + MacLength];
        try
        {
            ephemeral.CalculateAgreement(recipient.PublicKey, secret);
            EphemeralKeys(secret, recipientKey, ephemeralPublic, keys);
            Encrypt(keys.Slice(KeySize, KeySize), keys.Slice(2 * KeySize, KeySize), sender.IdentityKey.PublicKey.SerializedMemory.Span, encryptedStatic);

            StaticAgree(sender, recipient.PublicKey, secret, cache);
            StaticKeys(secret, keys[..KeySize], encryptedStatic, keys);
            Encrypt(keys.Slice(KeySize, KeySize), keys.Slice(2 * KeySize, KeySize), usmc, encryptedMessage);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(keys);
        }

        var writer = new ProtoWriter(encryptedMessage.Length + 100);
        writer.WriteRaw([Version]);
        writer.WriteBytes(1, ephemeralPublic);
        writer.WriteBytes(2, encryptedStatic);
        writer.WriteBytes(3, encryptedMessage);
        return writer.ToArray();
    }

    public static UnidentifiedSenderMessageContent Open(IdentityKeyPair local, ReadOnlySpan<byte> message, StaticAgreementCache? cache = null)
    {
        ReadOnlySpan<byte> ephemeralBytes = default, encryptedStatic = default, encryptedMessage = default;
        bool has1 = false, has2 = false, has3 = false;
        try
        {
            var reader = new ProtoReader(message[1..]);
            while (reader.TryReadTag(out int field, out int wireType))
            {
                switch (field)
                {
                    case 1:
                        ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                        ephemeralBytes = reader.ReadBytes();
                        has1 = true;
                        break;
                    case 2:
                        ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                        encryptedStatic = reader.ReadBytes();
                        has2 = true;
                        break;
                    case 3:
                        ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                        encryptedMessage = reader.ReadBytes();
                        has3 = true;
                        break;
                    default:
                        reader.Skip(wireType);
                        break;
                }
            }
        }
        catch (FormatException e)
        {
            throw new InvalidSealedSenderMessageException("sealed sender v1 message does not parse: " + e.Message, e);
        }

        if (!has1 || !has2 || !has3)
        {
            throw new InvalidSealedSenderMessageException("sealed sender v1 message lacks a required field");
        }

        EcPublicKey ephemeral = ParseKey(ephemeralBytes, "ephemeral key");
        ReadOnlySpan<byte> localKey = local.IdentityKey.PublicKey.SerializedMemory.Span;
        Span<byte> secret = stackalloc byte[KeySize];
        Span<byte> keys = stackalloc byte[3 * KeySize];
        Span<byte> staticKey = stackalloc byte[33];
        byte[]? usmc = null;
        try
        {
            Agree(local.PrivateKey, ephemeral, secret);
            EphemeralKeys(secret, localKey, ephemeral.SerializedMemory.Span, keys);
            if (!TryDecrypt(keys.Slice(KeySize, KeySize), keys.Slice(2 * KeySize, KeySize), encryptedStatic, staticKey))
            {
                throw new InvalidSealedSenderMessageException("failed to decrypt sealed sender v1 message key");
            }

            EcPublicKey senderStatic = ParseKey(staticKey, "sender static key");
            try
            {
                StaticAgree(local, senderStatic, secret, cache);
            }
            catch (InvalidKeyException e)
            {
                throw new InvalidSealedSenderMessageException("sealed sender message carries an unusable key", e);
            }

            StaticKeys(secret, keys[..KeySize], encryptedStatic, keys);
            if (encryptedMessage.Length < MacLength)
            {
                throw new InvalidSealedSenderMessageException("failed to decrypt sealed sender v1 message contents");
            }

            usmc = new byte[encryptedMessage.Length - MacLength];
            if (!TryDecrypt(keys.Slice(KeySize, KeySize), keys.Slice(2 * KeySize, KeySize), encryptedMessage, usmc))
            {
                throw new InvalidSealedSenderMessageException("failed to decrypt sealed sender v1 message contents");
            }

            var content = UnidentifiedSenderMessageContent.Deserialize(usmc);
            if (!CryptographicOperations.FixedTimeEquals(content.SenderCertificate.IdentityKey.PublicKey.SerializedMemory.Span, staticKey))
            {
                throw new InvalidSealedSenderMessageException("sender certificate key does not match message key");
            }

            return content;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(keys);
            if (usmc is not null)
            {
                CryptographicOperations.ZeroMemory(usmc);
            }
        }
    }

    internal static EcPublicKey ParseKey(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return EcPublicKey.Deserialize(bytes);
        }
        catch (InvalidKeyException e)
        {
            throw new InvalidSealedSenderMessageException($"sealed sender {what} does not parse: {e.Message}", e);
        }
    }

    /// <summary>The identity-to-identity agreement, from the cache when there is one.</summary>
    internal static void StaticAgree(IdentityKeyPair local, EcPublicKey remote, Span<byte> secret, StaticAgreementCache? cache)
    {
        if (cache is null)
        {
            local.PrivateKey.CalculateAgreement(remote, secret);
        }
        else
        {
            cache.Agree(local, remote, secret);
        }
    }

    internal static void Agree(EcPrivateKey ours, EcPublicKey theirs, Span<byte> secret)
    {
        try
        {
            ours.CalculateAgreement(theirs, secret);
        }
        catch (InvalidKeyException e)
        {
            throw new InvalidSealedSenderMessageException("sealed sender message carries an unusable key", e);
        }
    }

    private static void EphemeralKeys(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> recipientKey, ReadOnlySpan<byte> ephemeralPublic, Span<byte> keys)
    {
        Span<byte> salt = stackalloc byte[20 + 33 + 33];
        SaltPrefix.CopyTo(salt);
        recipientKey.CopyTo(salt[20..]);
        ephemeralPublic.CopyTo(salt[53..]);
        SignalHkdf.DeriveKey(secret, salt, default, keys);
    }

    /// <summary>The second derivation; <paramref name="chainKey"/> may alias the start of <paramref name="keys"/>.</summary>
    private static void StaticKeys(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> chainKey, ReadOnlySpan<byte> encryptedStatic, Span<byte> keys)
    {
        Span<byte> salt = stackalloc byte[KeySize + 33 + MacLength];
        chainKey.CopyTo(salt);
        encryptedStatic.CopyTo(salt[KeySize..]);
        SignalHkdf.DeriveKey(secret, salt, default, keys);
        CryptographicOperations.ZeroMemory(salt);
    }

    private static void Encrypt(ReadOnlySpan<byte> cipherKey, ReadOnlySpan<byte> macKey, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        var ciphertext = output[..plaintext.Length];
        Aes256Ctr.Transform(cipherKey, stackalloc byte[12], 0, plaintext, ciphertext);
        Span<byte> mac = stackalloc byte[HmacSha256.TagSize];
        HmacSha256.Compute(macKey, ciphertext, mac);
        mac[..MacLength].CopyTo(output[plaintext.Length..]);
    }

    private static bool TryDecrypt(ReadOnlySpan<byte> cipherKey, ReadOnlySpan<byte> macKey, ReadOnlySpan<byte> input, Span<byte> plaintext)
    {
        if (input.Length != plaintext.Length + MacLength)
        {
            return false;
        }

        var ciphertext = input[..plaintext.Length];
        Span<byte> mac = stackalloc byte[HmacSha256.TagSize];
        HmacSha256.Compute(macKey, ciphertext, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacLength], input[plaintext.Length..]))
        {
            return false;
        }

        Aes256Ctr.Transform(cipherKey, stackalloc byte[12], 0, ciphertext, plaintext);
        return true;
    }
}
