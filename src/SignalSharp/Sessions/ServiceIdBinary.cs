namespace SignalSharp;

/// <summary>
/// The ServiceId forms address binding needs: ACI = hyphenated UUID, PNI = "PNI:" + hyphenated UUID; the
/// fixed-width binary form is kind byte (ACI 0x00, PNI 0x01) ‖ 16 UUID bytes in RFC 4122 order.
/// </summary>
internal static class ServiceIdBinary
{
    public const int FixedWidthSize = 17;

    /// <summary>Size of the <c>addresses</c> field of a SignalMessage.</summary>
    public const int AddressesSize = 2 * (FixedWidthSize + 1);

    public static bool TryWriteFixedWidth(string name, Span<byte> destination)
    {
        byte kind = 0x00;
        ReadOnlySpan<char> uuid = name;
        if (name.StartsWith("PNI:", StringComparison.Ordinal))
        {
            kind = 0x01;
            uuid = uuid[4..];
        }

        if (uuid.Length != 36 || !Guid.TryParseExact(uuid, "D", out var guid))
        {
            return false;
        }

        destination[0] = kind;
        return guid.TryWriteBytes(destination.Slice(1, 16), bigEndian: true, out _);
    }

    /// <summary>sender ServiceId(17) ‖ sender device ‖ recipient ServiceId(17) ‖ recipient device, or null unless both names are ServiceIds.</summary>
    public static byte[]? Addresses(ProtocolAddress sender, ProtocolAddress recipient)
    {
        var result = new byte[AddressesSize];
        if (!TryWriteFixedWidth(sender.Name, result.AsSpan(0, FixedWidthSize))
            || !TryWriteFixedWidth(recipient.Name, result.AsSpan(FixedWidthSize + 1, FixedWidthSize)))
        {
            return null;
        }

        result[FixedWidthSize] = (byte)sender.DeviceId;
        result[AddressesSize - 1] = (byte)recipient.DeviceId;
        return result;
    }

    /// <summary>
    /// "Same account" (note-to-self): equal identity keys and equal ServiceId names. Only effect: no limit
    /// on forward jumps.
    /// </summary>
    public static bool IsSameAccount(ProtocolAddress local, ProtocolAddress remote, bool identitiesEqual)
    {
        if (!identitiesEqual)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[FixedWidthSize];
        Span<byte> b = stackalloc byte[FixedWidthSize];
        return TryWriteFixedWidth(local.Name, a) && TryWriteFixedWidth(remote.Name, b) && a.SequenceEqual(b);
    }
}
