using System.Diagnostics;
using System.Security.Cryptography;

namespace SignalSharp;

/// <summary>
/// The result of <see cref="KemPublicKey.Encapsulate"/>: the type-prefixed ciphertext to send and the
/// shared secret to keep. Dispose to wipe the secret.
/// </summary>
internal sealed class KemEncapsulation : IDisposable
{
    /// <summary>Bytes of a serialized ciphertext (type byte included).</summary>
    public const int SerializedCiphertextSize = 1 + KemAlgorithm.CiphertextSize;

    internal KemEncapsulation(byte[] ciphertext, byte[] sharedSecret)
    {
        Ciphertext = ciphertext;
        SharedSecret = sharedSecret;
    }

    /// <summary>Type byte ‖ raw ciphertext (1569 bytes), as carried in a PreKeySignalMessage.</summary>
    public byte[] Ciphertext { get; }

    /// <summary>The 32-byte shared secret; zeroed by <see cref="Dispose"/>.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public byte[] SharedSecret { get; }

    /// <summary>Wipes <see cref="SharedSecret"/>.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(SharedSecret);
}
