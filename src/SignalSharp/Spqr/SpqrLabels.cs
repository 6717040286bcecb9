using System.Text;

namespace SignalSharp.Spqr;

/// <summary>The KDF and MAC labels of SPQR V1 (wire facts §6.4, §6.5), byte for byte.</summary>
internal static class SpqrLabels
{
    /// <summary>Chain start; note the two spaces between "Chain" and "Start".</summary>
    internal static readonly byte[] ChainStart = Encoding.ASCII.GetBytes("Signal PQ Ratchet V1 Chain  Start");

    /// <summary>Chain epoch addition.</summary>
    internal static readonly byte[] ChainAddEpoch = Encoding.ASCII.GetBytes("Signal PQ Ratchet V1 Chain Add Epoch");

    /// <summary>Chain step, preceded by the big-endian 32-bit counter.</summary>
    internal static readonly byte[] ChainNext = Encoding.ASCII.GetBytes("Signal PQ Ratchet V1 Chain Next");

    /// <summary>Authenticator update, followed by the big-endian 64-bit epoch.</summary>
    internal static readonly byte[] AuthenticatorUpdate = Encoding.ASCII.GetBytes("Signal_PQCKA_V1_MLKEM768:Authenticator Update");

    /// <summary>Header MAC prefix, followed by the big-endian 64-bit epoch and the header.</summary>
    internal static readonly byte[] HeaderMac = Encoding.ASCII.GetBytes("Signal_PQCKA_V1_MLKEM768:ekheader");

    /// <summary>Ciphertext MAC prefix, followed by the big-endian 64-bit epoch, ct1 and ct2.</summary>
    internal static readonly byte[] CiphertextMac = Encoding.ASCII.GetBytes("Signal_PQCKA_V1_MLKEM768:ciphertext");

    /// <summary>Epoch secret derivation, followed by the big-endian 64-bit epoch.</summary>
    internal static readonly byte[] EpochSecret = Encoding.ASCII.GetBytes("Signal_PQCKA_V1_MLKEM768:SCKA Key");

    private static readonly byte[] ZeroSaltBytes = new byte[32];

    /// <summary>The all-zero 32-byte salt several derivations use.</summary>
    internal static ReadOnlySpan<byte> ZeroSalt => ZeroSaltBytes;

    /// <summary>Concatenates <paramref name="label"/> and BE64(<paramref name="epoch"/>) into <paramref name="destination"/>.</summary>
    internal static int WithEpoch(byte[] label, ulong epoch, Span<byte> destination)
    {
        label.CopyTo(destination);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[label.Length..], epoch);
        return label.Length + 8;
    }
}
