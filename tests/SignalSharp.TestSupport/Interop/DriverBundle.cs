using System.Text.Json.Nodes;

namespace SignalSharp.TestSupport.Interop;

/// <summary>A pre-key bundle as the driver protocol carries it (keys in libsignal's serialization).</summary>
public sealed record DriverBundle(
    uint RegistrationId,
    int DeviceId,
    uint? PreKeyId,
    byte[]? PreKey,
    uint SignedPreKeyId,
    byte[] SignedPreKey,
    byte[] SignedPreKeySignature,
    uint KyberPreKeyId,
    byte[] KyberPreKey,
    byte[] KyberPreKeySignature,
    byte[] IdentityKey)
{
    /// <summary>Reads the result of a <c>bundle</c> request (or a <c>bundle</c> argument).</summary>
    public static DriverBundle FromJson(JsonObject o) => new(
        o["registrationId"]!.GetValue<uint>(),
        o["deviceId"]!.GetValue<int>(),
        o["preKeyId"]?.GetValue<uint>(),
        o["preKey"] is null ? null : Convert.FromBase64String(o["preKey"]!.GetValue<string>()),
        o["signedPreKeyId"]!.GetValue<uint>(),
        Bytes(o, "signedPreKey"),
        Bytes(o, "signedPreKeySignature"),
        o["kyberPreKeyId"]!.GetValue<uint>(),
        Bytes(o, "kyberPreKey"),
        Bytes(o, "kyberPreKeySignature"),
        Bytes(o, "identityKey"));

    /// <summary>The bundle as a driver-protocol JSON object.</summary>
    public JsonObject ToJson() => new()
    {
        ["registrationId"] = RegistrationId,
        ["deviceId"] = DeviceId,
        ["preKeyId"] = PreKeyId,
        ["preKey"] = PreKey is null ? null : Convert.ToBase64String(PreKey),
        ["signedPreKeyId"] = SignedPreKeyId,
        ["signedPreKey"] = Convert.ToBase64String(SignedPreKey),
        ["signedPreKeySignature"] = Convert.ToBase64String(SignedPreKeySignature),
        ["kyberPreKeyId"] = KyberPreKeyId,
        ["kyberPreKey"] = Convert.ToBase64String(KyberPreKey),
        ["kyberPreKeySignature"] = Convert.ToBase64String(KyberPreKeySignature),
        ["identityKey"] = Convert.ToBase64String(IdentityKey),
    };

    /// <summary>A copy whose <paramref name="field"/> has bit <paramref name="bit"/> of byte <paramref name="offset"/> flipped.</summary>
    public DriverBundle WithFlippedBit(BundleField field, int offset, int bit = 0)
    {
        byte[] Flip(byte[] source)
        {
            var copy = (byte[])source.Clone();
            copy[offset] ^= (byte)(1 << bit);
            return copy;
        }

        return field switch
        {
            BundleField.PreKey => this with { PreKey = Flip(PreKey ?? throw new InvalidOperationException("bundle has no one-time pre-key")) },
            BundleField.SignedPreKey => this with { SignedPreKey = Flip(SignedPreKey) },
            BundleField.SignedPreKeySignature => this with { SignedPreKeySignature = Flip(SignedPreKeySignature) },
            BundleField.KyberPreKey => this with { KyberPreKey = Flip(KyberPreKey) },
            BundleField.KyberPreKeySignature => this with { KyberPreKeySignature = Flip(KyberPreKeySignature) },
            BundleField.IdentityKey => this with { IdentityKey = Flip(IdentityKey) },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
    }

    private static byte[] Bytes(JsonObject o, string name) =>
        Convert.FromBase64String(o[name]?.GetValue<string>() ?? throw new InvalidOperationException($"bundle lacks {name}"));
}

/// <summary>The byte fields of a bundle that a test may corrupt.</summary>
public enum BundleField
{
    /// <summary>The one-time EC pre-key.</summary>
    PreKey,

    /// <summary>The signed EC pre-key.</summary>
    SignedPreKey,

    /// <summary>The XEdDSA signature over the signed EC pre-key.</summary>
    SignedPreKeySignature,

    /// <summary>The Kyber1024 pre-key.</summary>
    KyberPreKey,

    /// <summary>The XEdDSA signature over the Kyber pre-key.</summary>
    KyberPreKeySignature,

    /// <summary>The identity key.</summary>
    IdentityKey,
}
