using System.Diagnostics;
using System.Security.Cryptography;

namespace SignalSharp.Handshake;

/// <summary>What PQXDH yields: the first root key, the first chain key and SPQR's authentication key.</summary>
internal sealed class PqxdhKeys : IDisposable
{
    public PqxdhKeys(byte[] rootKey, byte[] chainKey, byte[] spqrAuthKey)
    {
        RootKey = rootKey;
        ChainKey = chainKey;
        SpqrAuthKey = spqrAuthKey;
    }

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public byte[] RootKey { get; }

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public byte[] ChainKey { get; }

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public byte[] SpqrAuthKey { get; }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(RootKey);
        CryptographicOperations.ZeroMemory(ChainKey);
        CryptographicOperations.ZeroMemory(SpqrAuthKey);
    }
}
