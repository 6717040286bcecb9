using System.Security.Cryptography;
using SignalSharp;

namespace SignalSharp.SealedSender;

/// <summary>
/// X25519 agreements between the local identity key and other users' identity keys (the static-static half of
/// both envelope versions: v1's second key derivation, v2's authentication tag). The value depends only on the
/// two long-term keys, so it is computed once per peer identity and reused; a sender of many sealed messages then
/// pays one agreement per recipient user instead of two. Bounded (all entries are wiped when it is full, and when
/// the local identity changes); <see cref="Dispose"/> wipes every entry.
/// </summary>
internal sealed class StaticAgreementCache : IDisposable
{
    private const int MaxEntries = 8192;

    private readonly Dictionary<EcPublicKey, byte[]> _entries = [];
    private readonly object _gate = new();
    private EcPublicKey? _local;

    /// <summary>Writes X25519(local private, remote) into <paramref name="secret"/>.</summary>
    /// <exception cref="InvalidKeyException">The agreement is all zero (a small-order remote key).</exception>
    public void Agree(IdentityKeyPair local, EcPublicKey remote, Span<byte> secret)
    {
        lock (_gate)
        {
            if (_local is null || !_local.Equals(local.PublicKey))
            {
                WipeEntries();
                _local = local.PublicKey;
            }

            if (_entries.TryGetValue(remote, out var cached))
            {
                cached.CopyTo(secret);
                return;
            }
        }

        local.PrivateKey.CalculateAgreement(remote, secret);
        lock (_gate)
        {
            if (_local is not null && _local.Equals(local.PublicKey) && !_entries.ContainsKey(remote))
            {
                if (_entries.Count >= MaxEntries)
                {
                    WipeEntries();
                }

                _entries[remote] = secret.ToArray();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            WipeEntries();
            _local = null;
        }
    }

    private void WipeEntries()
    {
        foreach (var value in _entries.Values)
        {
            CryptographicOperations.ZeroMemory(value);
        }

        _entries.Clear();
    }
}
