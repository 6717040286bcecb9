namespace SignalSharp.Storage.Codec;

/// <summary>UTF-8 that throws on lone surrogates and invalid bytes, so a stored name reads back exactly as written.</summary>
internal static class Utf8
{
    public static readonly System.Text.UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
