using SignalSharp;

namespace SignalSharp.SealedSender;

/// <summary>
/// Sender certificates whose signatures already verified under a given set of trust roots. A sender attaches the
/// same certificate to every message for a day, and the signature checks (server certificate by a root, sender
/// certificate by the server key) are a pure function of the exact bytes and the roots, so a receiver verifies
/// each certificate once; the expiry is still compared on every message. Only successes are remembered (failures
/// are the attacker's to produce), keyed by the exact certificate bytes and roots; bounded.
/// </summary>
internal sealed class ValidatedCertificateCache
{
    private const int MaxEntries = 1024;

    private readonly HashSet<string> _valid = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public bool Validate(SenderCertificate certificate, IReadOnlyList<EcPublicKey> trustRoots, ulong validationTime)
    {
        var key = new System.Text.StringBuilder(Convert.ToBase64String(certificate.SerializedSpan));
        foreach (var root in trustRoots)
        {
            key.Append('|').Append(Convert.ToBase64String(root.PublicKeyBytes));
        }

        string id = key.ToString();
        bool known;
        lock (_gate)
        {
            known = _valid.Contains(id);
        }

        if (!known)
        {
            if (!certificate.SignaturesValid(trustRoots))
            {
                return false;
            }

            lock (_gate)
            {
                if (_valid.Count >= MaxEntries)
                {
                    _valid.Clear();
                }

                _valid.Add(id);
            }
        }

        return validationTime <= certificate.Expiration;
    }
}
