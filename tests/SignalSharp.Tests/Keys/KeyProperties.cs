using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SignalSharp;

namespace SignalSharp.Tests.Keys;

/// <summary>Property tests: round trips, and only typed exceptions from every key parser on arbitrary bytes.</summary>
public class KeyProperties
{
    private static bool OnlyTypedFailure(Action parse)
    {
        try
        {
            parse();
            return true;
        }
        catch (SignalProtocolException)
        {
            return true;
        }
    }

    [Property]
    public bool PublicKeyRoundTrips(byte[] seed)
    {
        var raw = new byte[32];
        seed.AsSpan(0, Math.Min(32, seed.Length)).CopyTo(raw);
        var key = EcPublicKey.FromPublicKeyBytes(raw);
        var back = EcPublicKey.Deserialize(key.Serialize());
        return back.Equals(key) && back.PublicKeyBytes.SequenceEqual(raw) && IdentityKey.Deserialize(key.Serialize()).PublicKey == key;
    }

    [Property]
    public bool PrivateKeyRoundTripsAfterClamping(byte[] seed)
    {
        var raw = new byte[32];
        seed.AsSpan(0, Math.Min(32, seed.Length)).CopyTo(raw);
        using var key = EcPrivateKey.Deserialize(raw);
        using var again = EcPrivateKey.Deserialize(key.Serialize());
        raw[0] &= 0xF8;
        raw[31] = (byte)((raw[31] & 0x7F) | 0x40);
        return again.Serialize().AsSpan().SequenceEqual(raw) && again.PublicKey == key.PublicKey;
    }

    [Property(MaxTest = 50)]
    public bool SignaturesVerifyOnlyForTheirMessage(byte[] message)
    {
        using var pair = IdentityKeyPair.Generate();
        var sig = pair.Sign(message);
        var other = message.Length == 0 ? new byte[] { 0 } : message[..^1];
        return pair.IdentityKey.VerifySignature(message, sig) && !pair.IdentityKey.VerifySignature(other, sig);
    }

    [Property(MaxTest = 50)]
    public bool IdentityKeyPairRoundTrips(byte[] seed)
    {
        var raw = new byte[32];
        seed.AsSpan(0, Math.Min(32, seed.Length)).CopyTo(raw);
        using var pair = new IdentityKeyPair(EcPrivateKey.Deserialize(raw));
        using var back = IdentityKeyPair.Deserialize(pair.Serialize());
        return back.IdentityKey == pair.IdentityKey && back.PrivateKey.Serialize().AsSpan().SequenceEqual(pair.PrivateKey.Serialize());
    }

    [Property(MaxTest = 500)]
    public bool ParsersThrowOnlyTypedExceptions(byte[] input)
        => OnlyTypedFailure(() => EcPublicKey.Deserialize(input))
        && OnlyTypedFailure(() => EcPrivateKey.Deserialize(input))
        && OnlyTypedFailure(() => IdentityKey.Deserialize(input))
        && OnlyTypedFailure(() => IdentityKeyPair.Deserialize(input));

    [Property(MaxTest = 300)]
    public Property ProtobufShapedInputsThrowOnlyTypedExceptions()
    {
        // Inputs that start like a serialized pair and are then truncated or corrupted reach deeper parser states.
        using var pair = IdentityKeyPair.Generate();
        var good = pair.Serialize();
        var gen = from cut in Gen.Choose(0, good.Length)
                  from index in Gen.Choose(0, good.Length - 1)
                  from value in Gen.Choose(0, 255)
                  select (cut, index, (byte)value);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var bytes = (byte[])good.Clone();
            bytes[t.index] = t.Item3;
            return OnlyTypedFailure(() => IdentityKeyPair.Deserialize(bytes.AsSpan(0, t.cut)));
        });
    }
}
