using SignalSharp;
using SignalSharp.Relay.Accounts;

namespace SignalSharp.Relay.Api;

/// <summary>Checks every uploaded field before anything is stored, so a refused request changes nothing.</summary>
internal static class Validation
{
    public const int MaxNameLength = 32;

    /// <summary>Account names: 1..32 of a-z, 0-9, '_' and '-' (no '.', which separates the device id in credentials).</summary>
    public static bool IsValidName(string? name)
        => name is { Length: > 0 and <= MaxNameLength } && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');

    public static bool IsValidRegistrationId(uint? id) => id is >= 1 and <= 16380;

    /// <summary>Validates a full key set (registration); the error says which field is wrong.</summary>
    public static KeyUpload? ParseRegistration(RegisterRequest request, RelayOptions options, out string? error)
    {
        IdentityKey identity;
        try
        {
            identity = IdentityKey.Deserialize(request.IdentityKey ?? []);
        }
        catch (SignalProtocolException)
        {
            error = "identityKey is not a valid Curve25519 public key";
            return null;
        }

        if (request.SignedPreKey is null || request.KyberLastResortKey is null)
        {
            error = "signedPreKey and kyberLastResortKey are required";
            return null;
        }

        return ParseKeys(identity, request.SignedPreKey, request.KyberLastResortKey, request.OneTimePreKeys, request.KyberPreKeys, options, out error) is { } upload
            ? upload with { IdentityKey = identity.Serialize() }
            : null;
    }

    /// <summary>Validates an upload against the device's identity key.</summary>
    public static KeyUpload? ParseKeys(IdentityKey identity, SignedKeyJson? signed, SignedKeyJson? lastResort, OneTimeKeyJson[]? oneTime, SignedKeyJson[]? kyber, RelayOptions options, out string? error)
    {
        error = null;
        if ((oneTime?.Length ?? 0) > options.MaxPreKeysPerUpload || (kyber?.Length ?? 0) > options.MaxPreKeysPerUpload)
        {
            error = $"at most {options.MaxPreKeysPerUpload} one-time keys of each kind per upload";
            return null;
        }

        SignedKey? signedKey = null, lastResortKey = null;
        if (signed is not null && (signedKey = Signed(identity, signed, isKyber: false)) is null)
        {
            error = "signedPreKey is malformed or its signature does not verify";
            return null;
        }

        if (lastResort is not null && (lastResortKey = Signed(identity, lastResort, isKyber: true)) is null)
        {
            error = "kyberLastResortKey is malformed or its signature does not verify";
            return null;
        }

        var oneTimeKeys = new List<OneTimeKey>();
        foreach (var key in oneTime ?? [])
        {
            if (key?.KeyId is not { } id || !IsEcKey(key.PublicKey))
            {
                error = "a oneTimePreKeys entry is malformed";
                return null;
            }

            oneTimeKeys.Add(new OneTimeKey(id, key.PublicKey!));
        }

        var kyberKeys = new List<SignedKey>();
        foreach (var key in kyber ?? [])
        {
            if (key is null || Signed(identity, key, isKyber: true) is not { } parsed)
            {
                error = "a kyberPreKeys entry is malformed or its signature does not verify";
                return null;
            }

            kyberKeys.Add(parsed);
        }

        if (oneTimeKeys.Select(k => k.KeyId).Distinct().Count() != oneTimeKeys.Count || kyberKeys.Select(k => k.KeyId).Distinct().Count() != kyberKeys.Count)
        {
            error = "duplicate key ids in one upload";
            return null;
        }

        return new KeyUpload(null, signedKey, lastResortKey, oneTimeKeys, kyberKeys);
    }

    private static SignedKey? Signed(IdentityKey identity, SignedKeyJson key, bool isKyber)
    {
        if (key.KeyId is not { } id || key.PublicKey is not { } publicKey || key.Signature is not { Length: 64 } signature)
        {
            return null;
        }

        bool wellFormed = isKyber ? IsKemKey(publicKey) : IsEcKey(publicKey);
        return wellFormed && identity.VerifySignature(publicKey, signature) ? new SignedKey(id, publicKey, signature) : null;
    }

    private static bool IsEcKey(byte[]? bytes)
    {
        try
        {
            return bytes is not null && EcPublicKey.Deserialize(bytes) is not null;
        }
        catch (SignalProtocolException)
        {
            return false;
        }
    }

    private static bool IsKemKey(byte[] bytes)
    {
        try
        {
            return KemPublicKey.Deserialize(bytes) is not null;
        }
        catch (SignalProtocolException)
        {
            return false;
        }
    }
}
