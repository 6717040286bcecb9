using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SignalSharp.Crypto;
using Xunit;

namespace SignalSharp.Tests.Crypto;

/// <summary>
/// The managed SHA-256 / HMAC / HKDF behind <see cref="HmacSha256"/> and <see cref="SignalHkdf"/> must agree with
/// the platform's implementations (FIPS 180-4, RFC 2104, RFC 5869) for every key, data, salt, info and output
/// length, including the block and padding boundaries.
/// </summary>
public class ManagedSha256Tests
{
    private static Gen<byte[]> Bytes(int max) =>
        from length in Gen.Choose(0, max)
        from bytes in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), length)
        select bytes;

    [Property(MaxTest = 300)]
    public Property HmacMatchesThePlatform()
    {
        var gen = from key in Bytes(150) from data in Bytes(300) select (key, data);
        return Prop.ForAll(gen.ToArbitrary(), c => HmacSha256.Compute(c.key, c.data).AsSpan().SequenceEqual(HMACSHA256.HashData(c.key, c.data)));
    }

    [Property(MaxTest = 300)]
    public Property HkdfMatchesThePlatform()
    {
        var gen = from ikm in Bytes(100) from salt in Bytes(100) from info in Bytes(300) from length in Gen.Choose(1, 300) select (ikm, salt, info, length);
        return Prop.ForAll(gen.ToArbitrary(), c =>
            SignalHkdf.DeriveKey(c.ikm, c.salt, c.info, c.length).AsSpan()
                .SequenceEqual(HKDF.DeriveKey(HashAlgorithmName.SHA256, c.ikm, c.length, c.salt, c.info)));
    }

    [Property(MaxTest = 200)]
    public Property PairedHmacsMatchThePlatform()
    {
        var gen = from key in Bytes(100) from a in Bytes(HmacSha256Core.MaxPairDataLength) from b in Bytes(HmacSha256Core.MaxPairDataLength) select (key, a, b);
        return Prop.ForAll(gen.ToArbitrary(), c =>
        {
            Span<System.Runtime.Intrinsics.Vector128<uint>> keyState = stackalloc System.Runtime.Intrinsics.Vector128<uint>[HmacSha256Core.KeyStateVectors];
            var tag0 = new byte[32];
            var tag1 = new byte[32];
            HmacSha256Core.SetKey(c.key, keyState);
            HmacSha256Core.ComputePair(keyState, c.a, c.b, tag0, tag1);
            return tag0.AsSpan().SequenceEqual(HMACSHA256.HashData(c.key, c.a)) && tag1.AsSpan().SequenceEqual(HMACSHA256.HashData(c.key, c.b));
        });
    }

    [Fact]
    public void ChainStepEqualsItsTwoHmacs()
    {
        var chainKey = RandomNumberGenerator.GetBytes(32);
        var (seed, next) = SignalSharp.Ratchet.ChainKdf.Step(chainKey);
        Assert.Equal(HMACSHA256.HashData(chainKey, new byte[] { 0x01 }), seed);
        Assert.Equal(HMACSHA256.HashData(chainKey, new byte[] { 0x02 }), next);
    }

    [Fact]
    public void EveryBoundaryLengthHashesLikeThePlatform()
    {
        // 55/56 and 63/64 bytes are where the padding needs one or two blocks.
        var key = RandomNumberGenerator.GetBytes(32);
        for (int length = 0; length <= 200; length++)
        {
            var data = RandomNumberGenerator.GetBytes(length);
            Assert.Equal(HMACSHA256.HashData(key, data), HmacSha256.Compute(key, data));
        }
    }

    [Fact]
    public void Rfc4231TestCase2()
    {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
        var tag = HmacSha256.Compute("Jefe"u8, "what do ya want for nothing?"u8);
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Convert.ToHexStringLower(tag));
    }

    [Fact]
    public void HkdfOutputLimitIsEnforced()
    {
        Assert.Throws<ArgumentException>(() => SignalHkdf.DeriveKey([1], [], [], (255 * 32) + 1));
    }
}
