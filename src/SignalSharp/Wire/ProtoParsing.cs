using Google.Protobuf;

namespace SignalSharp;

/// <summary>Parses protobuf bytes so that no protobuf exception ever crosses our API.</summary>
internal static class ProtoParsing
{
    /// <summary>Parses <paramref name="data"/> or throws the exception made by <paramref name="fail"/>.</summary>
    public static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> data, Func<string, Exception, Exception> fail)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw fail("malformed protobuf: " + e.Message, e);
        }
    }
}
