using SignalSharp;

namespace SignalSharp.Fuzz.Targets;

/// <summary>A stored signed pre-key record: parsed, re-serialized, its signature checked against Bob's identity key.</summary>
public sealed class SignedPreKeyRecordTarget : FuzzTarget
{
    public override string Name => "signed-prekey-record";

    public override void Run(ReadOnlySpan<byte> input)
    {
        using var record = SignedPreKeyRecord.Deserialize(input);
        SignedPreKeyRecord.Deserialize(record.Serialize()).Dispose();
        _ = FuzzWorld.Instance.BobIdentity.PublicKey.VerifySignature(record.PublicKey.Serialize(), record.Signature);
        _ = record.KeyPair.PrivateKey.CalculateAgreement(FuzzWorld.Instance.AliceIdentity.PublicKey);
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => [world.BobSignedPreKeyRecord];
}
