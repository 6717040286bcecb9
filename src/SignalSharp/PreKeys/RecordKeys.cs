using Google.Protobuf;
using SignalSharp;

namespace SignalSharp;

/// <summary>Rebuilds key pairs from stored records and checks that the halves belong together.</summary>
internal static class RecordKeys
{
    public static EcKeyPair KeyPair(ByteString publicKey, ByteString privateKey)
    {
        var priv = EcPrivateKey.Deserialize(privateKey.Span);
        var pub = EcPublicKey.Deserialize(publicKey.Span);
        if (!pub.Equals(priv.PublicKey))
        {
            priv.Dispose();
            throw new InvalidKeyException("stored public key does not match its private key");
        }

        return new EcKeyPair(priv);
    }
}
