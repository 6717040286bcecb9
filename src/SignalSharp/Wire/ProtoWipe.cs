using System.Collections;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace SignalSharp;

/// <summary>
/// Zeroes every <c>bytes</c> field of a protobuf message and its sub-messages, for the transient structures that
/// carry secrets between a record and its serialized form (session and SPQR records). A <see cref="ByteString"/> is
/// immutable by API, but the ones such a structure holds were made by <see cref="ByteString.CopyFrom(byte[])"/> or by
/// the parser and own their arrays, so nothing else sees them change. Only for structures that are dropped next.
/// </summary>
internal static class ProtoWipe
{
    /// <summary>Zeroes the bytes fields of <paramref name="message"/>, recursively.</summary>
    public static void Wipe(IMessage? message)
    {
        if (message is null)
        {
            return;
        }

        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (field.FieldType is not (FieldType.Bytes or FieldType.Message))
            {
                continue;
            }

            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                foreach (var item in (IEnumerable)value)
                {
                    WipeValue(item);
                }
            }
            else
            {
                WipeValue(value);
            }
        }
    }

    private static void WipeValue(object? value)
    {
        switch (value)
        {
            case ByteString bytes when !bytes.IsEmpty:
                CryptographicOperations.ZeroMemory(MemoryMarshal.AsMemory(bytes.Memory).Span);
                break;
            case IMessage message:
                Wipe(message);
                break;
        }
    }
}
