namespace SignalSharp;

/// <summary>The version byte shared by 1:1 messages: high nibble = message version, low nibble = current version.</summary>
internal static class MessageVersion
{
    /// <summary>The only version SignalSharp sends (PQXDH sessions).</summary>
    public const int Current = 4;

    /// <summary>The X3DH version: still parsed, refused when it would start a session.</summary>
    public const int Legacy = 3;

    public static byte Encode(int version) => (byte)((version << 4) | Current);

    /// <summary>Reads the message version from the first byte, rejecting versions nobody can speak.</summary>
    public static int Decode(byte b)
    {
        int version = b >> 4;
        if (version < Legacy)
        {
            throw new LegacyMessageException($"legacy ciphertext version {version}");
        }

        if (version > Current)
        {
            throw new InvalidVersionException($"unrecognized message version {version}");
        }

        return version;
    }
}
