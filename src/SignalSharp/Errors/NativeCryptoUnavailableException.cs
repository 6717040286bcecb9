using System.Runtime.InteropServices;

namespace SignalSharp;

/// <summary>
/// The native libsodium that SignalSharp uses for X25519 and XEdDSA could not be loaded on this runtime.
/// Thrown by the first operation that needs it (key generation, agreement, signing, signature checks).
/// The <c>libsodium</c> NuGet package ships it for the common Windows, Linux (glibc and musl), macOS,
/// Android and iOS runtime identifiers; elsewhere install libsodium so that the loader finds it
/// (for example <c>libsodium.so</c> on the library path).
/// </summary>
public sealed class NativeCryptoUnavailableException : SignalProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="libraryName">The native library that was looked for.</param>
    /// <param name="innerException">The loader's failure.</param>
    public NativeCryptoUnavailableException(string libraryName, Exception innerException)
        : base(
            $"SignalSharp needs the native library '{libraryName}' for X25519 and XEdDSA and could not load it on runtime "
            + $"'{RuntimeInformation.RuntimeIdentifier}'. The libsodium NuGet package ships it for win-x64/x86/arm64, "
            + "linux-x64/arm64/arm, linux-musl-x64/arm64/arm, osx-x64/arm64, android and iOS; on other runtimes install "
            + "libsodium 1.0.18 or later where the native loader finds it.",
            innerException)
    {
        LibraryName = libraryName;
        RuntimeIdentifier = RuntimeInformation.RuntimeIdentifier;
    }

    /// <summary>The native library that was looked for (<c>libsodium</c>).</summary>
    public string LibraryName { get; }

    /// <summary>The runtime identifier of the running process, for example <c>linux-x64</c>.</summary>
    public string RuntimeIdentifier { get; }
}
