namespace SignalSharp.Groups;

/// <summary>The version byte shared by sender-key messages and distribution messages.</summary>
internal static class SenderKeyMessageVersion
{
    /// <summary>The only version libsignal 0.103 produces and accepts for sender keys.</summary>
    internal const byte Current = 3;

    /// <summary>The first byte of every message: version in the high nibble, current version in the low nibble (0x33).</summary>
    internal const byte VersionByte = (Current << 4) | Current;

    /// <summary>Checks the version nibble of a received message's first byte.</summary>
    /// <exception cref="LegacyMessageException">The message is from an older protocol version.</exception>
    /// <exception cref="InvalidVersionException">The message is from an unknown newer protocol version.</exception>
    internal static byte Check(byte first, string what)
    {
        int version = first >> 4;
        if (version < Current)
        {
            throw new LegacyMessageException(version, $"{what} version {version} is no longer supported");
        }

        if (version > Current)
        {
            throw new InvalidVersionException(version, $"{what} version {version} is not recognized");
        }

        return (byte)version;
    }
}
