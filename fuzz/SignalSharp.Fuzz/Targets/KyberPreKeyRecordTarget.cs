using SignalSharp;

namespace SignalSharp.Fuzz.Targets;

/// <summary>A stored Kyber pre-key record: parsed, re-serialized, then a round trip through its KEM key pair.</summary>
public sealed class KyberPreKeyRecordTarget : FuzzTarget
{
    public override string Name => "kyber-prekey-record";

    public override void Run(ReadOnlySpan<byte> input)
    {
        using var record = KyberPreKeyRecord.Deserialize(input);
        KyberPreKeyRecord.Deserialize(record.Serialize()).Dispose();
        _ = FuzzWorld.Instance.BobIdentity.PublicKey.VerifySignature(record.PublicKey.Serialize(), record.Signature);
        using var encapsulation = record.PublicKey.Encapsulate(new SeededRandom(1));
        _ = record.KeyPair.SecretKey.Decapsulate(encapsulation.Ciphertext);
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => [world.BobKyberPreKeyRecord];
}
