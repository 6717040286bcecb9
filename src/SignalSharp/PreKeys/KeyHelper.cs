using System.Buffers.Binary;
using SignalSharp;
using SignalSharp.Crypto;

namespace SignalSharp;

/// <summary>Generates the long-lived material a device registers with: identity, registration id, pre-keys.</summary>
public static class KeyHelper
{
    /// <summary>The largest registration id handed out (14 bits as Sealed Sender v2 needs, minus a margin, as in Signal apps).</summary>
    public const uint MaxRegistrationId = 16380;

    /// <summary>Generates a new identity key pair.</summary>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The key pair.</returns>
    public static IdentityKeyPair GenerateIdentityKeyPair(RandomSource? random = null) => IdentityKeyPair.Generate(random);

    /// <summary>Generates a registration id in 1..<see cref="MaxRegistrationId"/>.</summary>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The registration id.</returns>
    public static uint GenerateRegistrationId(RandomSource? random = null)
    {
        Span<byte> buffer = stackalloc byte[4];
        (random ?? RandomSource.Secure).Fill(buffer);
        // The modulo bias (2^32 mod 16380) is ~4e-6 and the id is not secret.
        return (BinaryPrimitives.ReadUInt32LittleEndian(buffer) % MaxRegistrationId) + 1;
    }

    /// <summary>Generates <paramref name="count"/> one-time pre-keys with consecutive ids from <paramref name="startId"/>.</summary>
    /// <param name="startId">The first id.</param>
    /// <param name="count">How many keys.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The records; the caller owns (and disposes) them.</returns>
    public static IReadOnlyList<PreKeyRecord> GeneratePreKeys(uint startId, int count, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var records = new PreKeyRecord[count];
        for (int i = 0; i < count; i++)
        {
            records[i] = new PreKeyRecord(unchecked(startId + (uint)i), EcKeyPair.Generate(random));
        }

        return records;
    }

    /// <summary>Generates a signed pre-key.</summary>
    /// <param name="identity">The local identity key pair (signs the key).</param>
    /// <param name="id">The signed pre-key id.</param>
    /// <param name="timestamp">Creation time in milliseconds since the Unix epoch.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The record.</returns>
    public static SignedPreKeyRecord GenerateSignedPreKey(IdentityKeyPair identity, uint id, ulong timestamp, RandomSource? random = null)
        => SignedPreKeyRecord.Generate(identity, id, timestamp, random);

    /// <summary>Generates <paramref name="count"/> one-time Kyber pre-keys with consecutive ids.</summary>
    /// <param name="identity">The local identity key pair (signs the keys).</param>
    /// <param name="startId">The first id.</param>
    /// <param name="count">How many keys.</param>
    /// <param name="timestamp">Creation time in milliseconds since the Unix epoch.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The records; the caller owns (and disposes) them.</returns>
    public static IReadOnlyList<KyberPreKeyRecord> GenerateKyberPreKeys(IdentityKeyPair identity, uint startId, int count, ulong timestamp, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var records = new KyberPreKeyRecord[count];
        for (int i = 0; i < count; i++)
        {
            records[i] = KyberPreKeyRecord.Generate(identity, unchecked(startId + (uint)i), timestamp, isLastResort: false, random);
        }

        return records;
    }

    /// <summary>Generates a last-resort Kyber pre-key (kept after use; replays of it are rejected by the store).</summary>
    /// <param name="identity">The local identity key pair (signs the key).</param>
    /// <param name="id">The Kyber pre-key id.</param>
    /// <param name="timestamp">Creation time in milliseconds since the Unix epoch.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The record.</returns>
    public static KyberPreKeyRecord GenerateLastResortKyberPreKey(IdentityKeyPair identity, uint id, ulong timestamp, RandomSource? random = null)
        => KyberPreKeyRecord.Generate(identity, id, timestamp, isLastResort: true, random);
}
