using SignalSharp;

namespace SignalSharp.Fuzz.Targets;

/// <summary>An EC (Curve25519) public key as it arrives in bundles and messages: parsed, checked, verified against, agreed with.</summary>
public sealed class EcPublicKeyTarget : FuzzTarget
{
    private static readonly byte[] SignedMessage = "fuzz"u8.ToArray();
    private static readonly Lazy<byte[]> Signature = new(() => FuzzWorld.Instance.BobIdentity.Sign(SignedMessage, new SeededRandom(1)));

    public override string Name => "ec-public-key";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var key = EcPublicKey.Deserialize(input);
        _ = IdentityKey.Deserialize(key.Serialize());
        _ = key.IsCanonicalAndTorsionFree();
        _ = key.VerifySignature(SignedMessage, Signature.Value);
        _ = FuzzWorld.Instance.BobIdentity.PrivateKey.CalculateAgreement(key);
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) =>
        [world.AliceIdentity.PublicKey.Serialize(), world.BobIdentity.PublicKey.Serialize()];
}
