using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SignalSharp;

namespace SignalSharp.Tests.Keys;

/// <summary>
/// Properties of the KEM key parsers: serialization round trips, and arbitrary bytes (random lengths, and
/// correct lengths with a valid type byte so that parsing gets past the length check) only ever produce
/// SignalProtocolException subclasses.
/// </summary>
public class KemKeyPropertyTests
{
    private static readonly Lazy<KemKeyPair> Kyber = new(() => KemKeyPair.Generate(KemType.Kyber1024));
    private static readonly Lazy<KemKeyPair> MlKem = new(() => KemKeyPair.Generate(KemType.MlKem1024));

    [Property(MaxTest = 20)]
    public bool SerializationRoundTrips(bool mlKem)
    {
        using var pair = KemKeyPair.Generate(mlKem ? KemType.MlKem1024 : KemType.Kyber1024);
        byte[] publicBytes = pair.PublicKey.Serialize();
        byte[] secretBytes = pair.SecretKey.Serialize();
        using var secret = KemSecretKey.Deserialize(secretBytes);
        return KemPublicKey.Deserialize(publicBytes).Serialize().AsSpan().SequenceEqual(publicBytes)
            && secret.Serialize().AsSpan().SequenceEqual(secretBytes);
    }

    [Property(MaxTest = 200)]
    public void ArbitraryBytesOnlyRaiseProtocolErrors(byte[] bytes)
    {
        OnlyProtocolErrors(() => KemPublicKey.Deserialize(bytes));
        OnlyProtocolErrors(() => KemSecretKey.Deserialize(bytes).Dispose());
        OnlyProtocolErrors(() => Kyber.Value.SecretKey.Decapsulate(bytes));
        OnlyProtocolErrors(() => MlKem.Value.SecretKey.Decapsulate(bytes));
    }

    [Property(MaxTest = 30)]
    public Property RightLengthRandomContentOnlyRaisesProtocolErrors()
    {
        var gen = Gen.Elements((byte)0x08, (byte)0x0A).SelectMany(
            type => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 3168).Select(body => (type, body)));
        return Prop.ForAll(Arb.From(gen), input =>
        {
            var (type, body) = input;
            OnlyProtocolErrors(() => KemPublicKey.Deserialize([type, .. body.AsSpan(0, 1568)]));
            OnlyProtocolErrors(() =>
            {
                using var secret = KemSecretKey.Deserialize([type, .. body]);
                secret.Decapsulate([type, .. body.AsSpan(0, 1568)]);
            });
            OnlyProtocolErrors(() => (type == 0x08 ? Kyber : MlKem).Value.SecretKey.Decapsulate([type, .. body.AsSpan(1600, 1568)]));
        });
    }

    private static void OnlyProtocolErrors(Action action)
    {
        try
        {
            action();
        }
        catch (SignalProtocolException)
        {
        }
    }
}
