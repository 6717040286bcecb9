using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SignalSharp.Fingerprints;

namespace SignalSharp.Tests.Fingerprints;

/// <summary>
/// The two-lane word-form SHA-512 chain must equal the definition in the safety-number spec
/// (h₀ = SHA-512(version ‖ key ‖ id ‖ key), hᵢ = SHA-512(hᵢ₋₁ ‖ key)), computed here with the platform SHA-512.
/// </summary>
public class FingerprintHashChainTests
{
    private static byte[] Reference(byte[] key, byte[] id, int iterations)
    {
        var hash = SHA512.HashData([0x00, 0x00, .. key, .. id, .. key]);
        for (int i = 1; i < iterations; i++)
        {
            hash = SHA512.HashData([.. hash, .. key]);
        }

        return hash;
    }

    [Property(MaxTest = 40)]
    public Property BothLanesMatchTheIteratedPlatformSha512()
    {
        var gen =
            from iterations in Gen.Choose(1, 40)
            from localId in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Select(a => a.Take(300).ToArray())
            from remoteId in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Select(a => a.Take(300).ToArray())
            from localKey in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 33)
            from remoteKey in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 33)
            select (iterations, localId, remoteId, localKey, remoteKey);
        return Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var local = new byte[64];
            var remote = new byte[64];
            FingerprintHashChain.Compute([0x00, 0x00], c.localKey, c.localId, c.remoteKey, c.remoteId, c.iterations, local, remote);
            return local.AsSpan().SequenceEqual(Reference(c.localKey, c.localId, c.iterations))
                && remote.AsSpan().SequenceEqual(Reference(c.remoteKey, c.remoteId, c.iterations));
        });
    }
}
