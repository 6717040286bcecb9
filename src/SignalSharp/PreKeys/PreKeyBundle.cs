using SignalSharp;

namespace SignalSharp;

/// <summary>
/// What a server hands out for one device so that others can start a session with it: identity key,
/// signed EC pre-key, signed Kyber pre-key and optionally a one-time EC pre-key.
/// </summary>
public sealed class PreKeyBundle
{
    private readonly byte[] _signedPreKeySignature;
    private readonly byte[] _kyberPreKeySignature;

    /// <summary>Creates a bundle from its parts.</summary>
    /// <param name="registrationId">The device's registration id.</param>
    /// <param name="deviceId">The device id.</param>
    /// <param name="preKeyId">The one-time pre-key id, or null when the bundle has none.</param>
    /// <param name="preKey">The one-time pre-key, or null; must be present exactly when <paramref name="preKeyId"/> is.</param>
    /// <param name="signedPreKeyId">The signed pre-key id.</param>
    /// <param name="signedPreKey">The signed pre-key.</param>
    /// <param name="signedPreKeySignature">The identity key's signature over the serialized signed pre-key.</param>
    /// <param name="identityKey">The device's identity key.</param>
    /// <param name="kyberPreKeyId">The Kyber pre-key id.</param>
    /// <param name="kyberPreKey">The Kyber pre-key.</param>
    /// <param name="kyberPreKeySignature">The identity key's signature over the serialized Kyber pre-key.</param>
    /// <exception cref="ArgumentException">Only one of <paramref name="preKeyId"/> and <paramref name="preKey"/> is given.</exception>
    public PreKeyBundle(
        uint registrationId,
        int deviceId,
        uint? preKeyId,
        EcPublicKey? preKey,
        uint signedPreKeyId,
        EcPublicKey signedPreKey,
        ReadOnlySpan<byte> signedPreKeySignature,
        IdentityKey identityKey,
        uint kyberPreKeyId,
        KemPublicKey kyberPreKey,
        ReadOnlySpan<byte> kyberPreKeySignature)
    {
        ArgumentNullException.ThrowIfNull(signedPreKey);
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentNullException.ThrowIfNull(kyberPreKey);
        if (preKeyId.HasValue != (preKey is not null))
        {
            throw new ArgumentException("a one-time pre-key needs both its id and its key");
        }

        RegistrationId = registrationId;
        DeviceId = deviceId;
        PreKeyId = preKeyId;
        PreKey = preKey;
        SignedPreKeyId = signedPreKeyId;
        SignedPreKey = signedPreKey;
        _signedPreKeySignature = signedPreKeySignature.ToArray();
        IdentityKey = identityKey;
        KyberPreKeyId = kyberPreKeyId;
        KyberPreKey = kyberPreKey;
        _kyberPreKeySignature = kyberPreKeySignature.ToArray();
    }

    /// <summary>The device's registration id.</summary>
    public uint RegistrationId { get; }

    /// <summary>The device id.</summary>
    public int DeviceId { get; }

    /// <summary>The one-time pre-key id, or null.</summary>
    public uint? PreKeyId { get; }

    /// <summary>The one-time pre-key, or null.</summary>
    public EcPublicKey? PreKey { get; }

    /// <summary>The signed pre-key id.</summary>
    public uint SignedPreKeyId { get; }

    /// <summary>The signed pre-key.</summary>
    public EcPublicKey SignedPreKey { get; }

    /// <summary>The signature over the signed pre-key (a copy).</summary>
    public byte[] SignedPreKeySignature => (byte[])_signedPreKeySignature.Clone();

    /// <summary>The device's identity key.</summary>
    public IdentityKey IdentityKey { get; }

    /// <summary>The Kyber pre-key id.</summary>
    public uint KyberPreKeyId { get; }

    /// <summary>The Kyber pre-key.</summary>
    public KemPublicKey KyberPreKey { get; }

    /// <summary>The signature over the Kyber pre-key (a copy).</summary>
    public byte[] KyberPreKeySignature => (byte[])_kyberPreKeySignature.Clone();

    /// <summary>Checks both pre-key signatures against the bundle's identity key.</summary>
    /// <exception cref="InvalidSignatureException">Either signature does not verify.</exception>
    public void VerifySignatures()
    {
        if (!IdentityKey.VerifySignature(SignedPreKey.Serialize(), _signedPreKeySignature))
        {
            throw new InvalidSignatureException("invalid signature detected on the signed pre-key");
        }

        if (!IdentityKey.VerifySignature(KyberPreKey.Serialize(), _kyberPreKeySignature))
        {
            throw new InvalidSignatureException("invalid signature detected on the Kyber pre-key");
        }
    }
}
