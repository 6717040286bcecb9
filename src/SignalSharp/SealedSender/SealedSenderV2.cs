using System.Buffers.Binary;
using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Crypto;
using SignalSharp.Curves;

namespace SignalSharp.SealedSender;

/// <summary>
/// Sealed sender v2 (multi-recipient). A random M per message gives the ephemeral key E and the AES-256-GCM-SIV
/// key K of the payload, which is encrypted once. Each recipient user R gets C = HKDF(DH(E, R) ‖ E ‖ R) ⊕ M and
/// AT = HKDF(DH(S, R) ‖ E ‖ C ‖ S ‖ R): both depend only on the user's identity key, so all of its devices share
/// them. Received form: <c>0x22 ‖ C ‖ AT ‖ E (32 raw bytes) ‖ ciphertext</c>.
/// </summary>
internal static class SealedSenderV2
{
    public const byte ReceivedVersion = 0x22;
    public const byte SentVersion = 0x23;
    public const int CSize = 32;
    public const int AtSize = 16;
    public const int HeaderSize = 1 + CSize + AtSize + 32;

    private static ReadOnlySpan<byte> LabelR => "Sealed Sender v2: r (2023-08)"u8;

    private static ReadOnlySpan<byte> LabelK => "Sealed Sender v2: K"u8;

    private static ReadOnlySpan<byte> LabelDh => "Sealed Sender v2: DH"u8;

    private static ReadOnlySpan<byte> LabelDhSender => "Sealed Sender v2: DH-sender"u8;

    /// <summary>One entry of the SentMessage: a user (its fixed-width ServiceId and identity key) and its devices.</summary>
    internal readonly record struct Entry(byte[] ServiceId, IdentityKey IdentityKey, (byte DeviceId, ushort RegistrationId)[] Devices);

    /// <summary>Builds a SentMessage (0x23): entries in order, then the excluded ServiceIds, E and the payload.</summary>
    public static byte[] EncryptSent(IdentityKeyPair sender, IReadOnlyList<Entry> entries, IReadOnlyList<byte[]> excluded, ReadOnlySpan<byte> usmc, RandomSource random, StaticAgreementCache? cache = null)
    {
        Span<byte> m = stackalloc byte[32];
        Span<byte> ePrivate = stackalloc byte[32];
        Span<byte> ePublic33 = stackalloc byte[33];
        Span<byte> k = stackalloc byte[32];
        Span<byte> secret = stackalloc byte[32];
        try
        {
            random.Fill(m);
            DeriveEphemeral(m, ePrivate, ePublic33);
            SignalHkdf.DeriveKey(m, default, LabelK, k);

            int length = 1 + Varint.Length((ulong)(entries.Count + excluded.Count)) + 32 + usmc.Length + Aes256GcmSiv.TagSize;
            foreach (var entry in entries)
            {
                length += ServiceIdSize + (3 * entry.Devices.Length) + CSize + AtSize;
            }

            length += excluded.Count * (ServiceIdSize + 1);
            var output = new byte[length];
            output[0] = SentVersion;
            int at = 1 + Varint.Write((ulong)(entries.Count + excluded.Count), output.AsSpan(1));

            ReadOnlySpan<byte> senderKey = sender.IdentityKey.PublicKey.SerializedMemory.Span;
            Span<byte> ikm = stackalloc byte[32 + 33 + CSize + 33 + 33];
            foreach (var entry in entries)
            {
                entry.ServiceId.CopyTo(output.AsSpan(at));
                at += ServiceIdSize;
                for (int d = 0; d < entry.Devices.Length; d++)
                {
                    var (deviceId, registrationId) = entry.Devices[d];
                    output[at] = deviceId;
                    ushort hasMore = d + 1 < entry.Devices.Length ? (ushort)0x8000 : (ushort)0;
                    BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(at + 1), (ushort)(hasMore | registrationId));
                    at += 3;
                }

                var c = output.AsSpan(at, CSize);
                var authenticationTag = output.AsSpan(at + CSize, AtSize);
                ReadOnlySpan<byte> recipientKey = entry.IdentityKey.PublicKey.SerializedMemory.Span;
                Agree(ePrivate, entry.IdentityKey.PublicKey, secret);
                DeriveC(secret, ePublic33, recipientKey, m, c, ikm);
                SealedSenderV1.StaticAgree(sender, entry.IdentityKey.PublicKey, secret, cache);
                DeriveAt(secret, ePublic33, c, senderKey, recipientKey, authenticationTag, ikm);
                at += CSize + AtSize;
            }

            CryptographicOperations.ZeroMemory(ikm);
            foreach (var serviceId in excluded)
            {
                serviceId.CopyTo(output.AsSpan(at));
                output[at + ServiceIdSize] = 0;
                at += ServiceIdSize + 1;
            }

            ePublic33[1..].CopyTo(output.AsSpan(at));
            at += 32;
            Aes256GcmSiv.Encrypt(k, stackalloc byte[Aes256GcmSiv.NonceSize], default, usmc, output.AsSpan(at));
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(m);
            CryptographicOperations.ZeroMemory(ePrivate);
            CryptographicOperations.ZeroMemory(k);
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Opens a ReceivedMessage (any first byte with high nibble 2) with the local identity.</summary>
    public static UnidentifiedSenderMessageContent OpenReceived(IdentityKeyPair local, ReadOnlySpan<byte> message, StaticAgreementCache? cache = null)
    {
        if (message.Length < HeaderSize)
        {
            throw new InvalidSealedSenderMessageException("protobuf encoding was invalid: sealed sender v2 message is too short");
        }

        var c = message.Slice(1, CSize);
        var authenticationTag = message.Slice(1 + CSize, AtSize);
        var ePublicRaw = message.Slice(1 + CSize + AtSize, 32);
        var ciphertext = message[HeaderSize..];
        ReadOnlySpan<byte> localKey = local.IdentityKey.PublicKey.SerializedMemory.Span;

        Span<byte> ePublic33 = stackalloc byte[33];
        ePublic33[0] = EcPublicKey.TypeByte;
        ePublicRaw.CopyTo(ePublic33[1..]);
        Span<byte> secret = stackalloc byte[32];
        Span<byte> m = stackalloc byte[32];
        Span<byte> derivedPrivate = stackalloc byte[32];
        Span<byte> derivedPublic = stackalloc byte[33];
        Span<byte> k = stackalloc byte[32];
        Span<byte> ikm = stackalloc byte[32 + 33 + CSize + 33 + 33];
        byte[]? usmc = null;
        try
        {
            if (ciphertext.Length < Aes256GcmSiv.TagSize)
            {
                throw new InvalidSealedSenderMessageException("failed to decrypt inner message: ciphertext is shorter than its tag");
            }

            SealedSenderV1.Agree(local.PrivateKey, EcPublicKey.FromPublicKeyBytes(ePublicRaw), secret);
            DeriveC(secret, ePublic33, localKey, c, m, ikm);
            DeriveEphemeral(m, derivedPrivate, derivedPublic);
            if (!CryptographicOperations.FixedTimeEquals(derivedPublic, ePublic33))
            {
                throw new InvalidSealedSenderMessageException("derived ephemeral key did not match key provided in message");
            }

            SignalHkdf.DeriveKey(m, default, LabelK, k);
            usmc = new byte[ciphertext.Length - Aes256GcmSiv.TagSize];
            if (!Aes256GcmSiv.TryDecrypt(k, stackalloc byte[Aes256GcmSiv.NonceSize], default, ciphertext, usmc))
            {
                throw new InvalidSealedSenderMessageException("failed to decrypt inner message: AES-GCM-SIV authentication failed");
            }

            var content = UnidentifiedSenderMessageContent.Deserialize(usmc);
            var senderKey = content.SenderCertificate.IdentityKey.PublicKey;
            try
            {
                SealedSenderV1.StaticAgree(local, senderKey, secret, cache);
            }
            catch (InvalidKeyException e)
            {
                throw new InvalidSealedSenderMessageException("sealed sender message carries an unusable key", e);
            }

            Span<byte> expected = stackalloc byte[AtSize];
            DeriveAt(secret, ePublic33, c, senderKey.SerializedMemory.Span, localKey, expected, ikm);
            if (!CryptographicOperations.FixedTimeEquals(expected, authenticationTag))
            {
                throw new InvalidSealedSenderMessageException("sender certificate key does not match authentication tag");
            }

            return content;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(m);
            CryptographicOperations.ZeroMemory(derivedPrivate);
            CryptographicOperations.ZeroMemory(k);
            CryptographicOperations.ZeroMemory(ikm);
            if (usmc is not null)
            {
                CryptographicOperations.ZeroMemory(usmc);
            }
        }
    }

    /// <summary>Kind byte plus 16 UUID bytes.</summary>
    public const int ServiceIdSize = 17;

    private static void DeriveEphemeral(ReadOnlySpan<byte> m, Span<byte> ePrivate, Span<byte> ePublic33)
    {
        SignalHkdf.DeriveKey(m, default, LabelR, ePrivate);
        ePublic33[0] = EcPublicKey.TypeByte;
        X25519.ComputePublicKey(ePrivate, ePublic33[1..]);
    }

    private static void Agree(ReadOnlySpan<byte> ourPrivate, EcPublicKey theirs, Span<byte> secret)
    {
        if (!X25519.TryAgree(ourPrivate, theirs.PublicKeyBytes, secret))
        {
            throw new InvalidKeyException("invalid key agreement: all-zero shared secret");
        }
    }

    /// <summary>C = HKDF(DH ‖ E ‖ R, "…DH") ⊕ <paramref name="xorWith"/> (M when sealing, C when opening).</summary>
    private static void DeriveC(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> ePublic33, ReadOnlySpan<byte> recipientKey, ReadOnlySpan<byte> xorWith, Span<byte> output, Span<byte> scratch)
    {
        var ikm = scratch[..(32 + 33 + 33)];
        secret.CopyTo(ikm);
        ePublic33.CopyTo(ikm[32..]);
        recipientKey.CopyTo(ikm[65..]);
        SignalHkdf.DeriveKey(ikm, default, LabelDh, output);
        for (int i = 0; i < CSize; i++)
        {
            output[i] ^= xorWith[i];
        }
    }

    private static void DeriveAt(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> ePublic33, ReadOnlySpan<byte> c, ReadOnlySpan<byte> senderKey, ReadOnlySpan<byte> recipientKey, Span<byte> output, Span<byte> scratch)
    {
        var ikm = scratch[..(32 + 33 + CSize + 33 + 33)];
        secret.CopyTo(ikm);
        ePublic33.CopyTo(ikm[32..]);
        c.CopyTo(ikm[65..]);
        senderKey.CopyTo(ikm[97..]);
        recipientKey.CopyTo(ikm[130..]);
        SignalHkdf.DeriveKey(ikm, default, LabelDhSender, output);
    }
}
