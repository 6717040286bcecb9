using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Keys;

/// <summary>A cloned private key (sender-key stores copy records on every message) is the same key, owned separately.</summary>
public class EcPrivateKeyCloneTests
{
    [Fact]
    public void ACloneSignsAndAgreesAsTheSameKeyAndSurvivesTheOriginalsDisposal()
    {
        var original = EcPrivateKey.Generate();
        var message = new byte[] { 1, 2, 3 };
        _ = original.CalculateSignature(message); // caches the Edwards form the clone then shares
        var clone = original.Clone();
        var publicKey = original.PublicKey;
        original.Dispose();

        Assert.Equal(publicKey.Serialize(), clone.PublicKey.Serialize());
        Assert.True(publicKey.VerifySignature(message, clone.CalculateSignature(message)));
        using var other = EcPrivateKey.Generate();
        Assert.Equal(other.CalculateAgreement(publicKey), clone.CalculateAgreement(other.PublicKey));
        clone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => clone.CalculateSignature(message));
    }
}
