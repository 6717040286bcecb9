using System.Security.Cryptography;

namespace SignalSharp;

/// <summary>
/// Where the library takes random bytes from. Production code always uses <see cref="Secure"/>
/// (the operating system CSPRNG through <see cref="RandomNumberGenerator"/>); tests may pass a
/// deterministic source to reproduce published vectors.
/// </summary>
public abstract class RandomSource
{
    /// <summary>The operating system's cryptographically secure generator.</summary>
    public static RandomSource Secure { get; } = new SystemRandomSource();

    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    /// <param name="destination">The buffer to fill.</param>
    public abstract void Fill(Span<byte> destination);

    private sealed class SystemRandomSource : RandomSource
    {
        public override void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
    }
}
