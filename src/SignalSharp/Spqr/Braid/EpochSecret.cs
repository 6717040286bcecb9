using System.Diagnostics;
using System.Security.Cryptography;
using SignalSharp.Crypto;
using SignalSharp.Diagnostics;

namespace SignalSharp.Spqr.Braid;

/// <summary>An epoch secret produced by the braid, to be added to the chain and the authenticator.</summary>
internal sealed class EpochSecret
{
    private EpochSecret(ulong epoch, byte[] secret)
    {
        Epoch = epoch;
        Secret = secret;
    }

    /// <summary>The epoch it completes.</summary>
    internal ulong Epoch { get; }

    /// <summary>The 32-byte secret.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    internal byte[] Secret { get; }

    /// <summary>S_e = HKDF(salt 0³², ML-KEM shared secret, "Signal_PQCKA_V1_MLKEM768:SCKA Key" ‖ BE64(e), 32).</summary>
    internal static EpochSecret Derive(ulong epoch, ReadOnlySpan<byte> sharedSecret)
    {
        Span<byte> info = stackalloc byte[SpqrLabels.EpochSecret.Length + 8];
        SpqrLabels.WithEpoch(SpqrLabels.EpochSecret, epoch, info);
        var secret = new EpochSecret(epoch, SignalHkdf.DeriveKey(sharedSecret, SpqrLabels.ZeroSalt, info, 32));
        if (ProtocolTrace.Sink is { } trace)
        {
            trace.Record("spqr.epoch", epoch);
            trace.Record("spqr.kem_shared_secret", sharedSecret);
            trace.Record("spqr.epoch_secret", secret.Secret);
        }

        return secret;
    }

    /// <summary>Wipes the secret once the chain and authenticator have absorbed it.</summary>
    internal void Wipe() => CryptographicOperations.ZeroMemory(Secret);
}
