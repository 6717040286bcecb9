using SignalSharp;

namespace SignalSharp.Fuzz.Targets;

/// <summary>A KEM (Kyber1024 / ML-KEM) public key as it arrives in a bundle: parsed (type byte, length, modulus check) and encapsulated to.</summary>
public sealed class KemPublicKeyTarget : FuzzTarget
{
    public override string Name => "kem-public-key";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var key = KemPublicKey.Deserialize(input);
        using var encapsulation = key.Encapsulate(new SeededRandom(1));
        _ = key.Serialize();
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world)
    {
        using var record = KyberPreKeyRecord.Deserialize(world.BobKyberPreKeyRecord);
        return [record.PublicKey.Serialize()];
    }
}
