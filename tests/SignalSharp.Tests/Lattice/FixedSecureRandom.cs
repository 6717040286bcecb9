using Org.BouncyCastle.Security;

namespace SignalSharp.Tests.Lattice;

/// <summary>A BouncyCastle SecureRandom that hands out prepared bytes, to drive BC's ML-KEM deterministically.</summary>
internal sealed class FixedSecureRandom : SecureRandom
{
    private readonly byte[] _bytes;
    private int _position;

    public FixedSecureRandom(byte[] bytes)
    {
        _bytes = bytes;
    }

    public override void NextBytes(byte[] buf) => NextBytes(buf.AsSpan());

    public override void NextBytes(byte[] buf, int off, int len) => NextBytes(buf.AsSpan(off, len));

    public override void NextBytes(Span<byte> buffer)
    {
        if (_position + buffer.Length > _bytes.Length)
        {
            throw new InvalidOperationException("fixed randomness exhausted");
        }

        _bytes.AsSpan(_position, buffer.Length).CopyTo(buffer);
        _position += buffer.Length;
    }
}
