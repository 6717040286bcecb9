using System.Security.Cryptography;

namespace SignalSharp;

/// <summary>
/// The protobuf form of an identity key pair — field 1 bytes = public key (33), field 2 bytes = private key
/// (32) — written and read by hand so the private key never lands in an unwipeable protobuf buffer.
/// </summary>
internal static class IdentityKeyPairCodec
{
    private const byte PublicKeyTag = (1 << 3) | 2;
    private const byte PrivateKeyTag = (2 << 3) | 2;

    internal const int EncodedLength = 2 + EcPublicKey.SerializedLength + 2 + EcPrivateKey.SerializedLength;

    internal static byte[] Encode(ReadOnlySpan<byte> publicKey33, ReadOnlySpan<byte> privateKey32)
    {
        var output = new byte[EncodedLength];
        output[0] = PublicKeyTag;
        output[1] = EcPublicKey.SerializedLength;
        publicKey33.CopyTo(output.AsSpan(2));
        output[35] = PrivateKeyTag;
        output[36] = EcPrivateKey.SerializedLength;
        privateKey32.CopyTo(output.AsSpan(37));
        return output;
    }

    /// <summary>Finds fields 1 and 2 (last occurrence wins, unknown fields skipped).</summary>
    /// <exception cref="InvalidKeyException">Malformed protobuf or a missing field.</exception>
    internal static (ReadOnlyMemory<byte> PublicKey, ReadOnlyMemory<byte> PrivateKey) Decode(ReadOnlyMemory<byte> input)
    {
        ReadOnlyMemory<byte>? publicKey = null;
        ReadOnlyMemory<byte>? privateKey = null;
        int pos = 0;
        ReadOnlySpan<byte> data = input.Span;
        while (pos < data.Length)
        {
            ulong tag = ReadVarint(data, ref pos);
            ulong field = tag >> 3;
            int wireType = (int)(tag & 7);
            if (field == 0 || field > int.MaxValue)
            {
                throw Malformed();
            }

            switch (wireType)
            {
                case 0:
                    if (field is 1 or 2)
                    {
                        throw Malformed();
                    }

                    ReadVarint(data, ref pos);
                    break;
                case 1:
                    Skip(data, ref pos, 8);
                    break;
                case 2:
                    ulong length = ReadVarint(data, ref pos);
                    if (length > (ulong)(data.Length - pos))
                    {
                        throw Malformed();
                    }

                    var slice = input.Slice(pos, (int)length);
                    pos += (int)length;
                    if (field == 1)
                    {
                        publicKey = slice;
                    }
                    else if (field == 2)
                    {
                        privateKey = slice;
                    }

                    break;
                case 5:
                    Skip(data, ref pos, 4);
                    break;
                default:
                    throw Malformed();
            }

            if (wireType != 2 && field is 1 or 2)
            {
                throw Malformed();
            }
        }

        if (publicKey is null || privateKey is null)
        {
            throw new InvalidKeyException("identity key pair: missing key");
        }

        return (publicKey.Value, privateKey.Value);
    }

    internal static void Wipe(byte[] encoded) => CryptographicOperations.ZeroMemory(encoded);

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (pos >= data.Length)
            {
                throw Malformed();
            }

            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw Malformed();
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int pos, int count)
    {
        if (data.Length - pos < count)
        {
            throw Malformed();
        }

        pos += count;
    }

    private static InvalidKeyException Malformed() => new("identity key pair: malformed protobuf");
}
