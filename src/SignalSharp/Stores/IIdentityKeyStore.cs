using SignalSharp;

namespace SignalSharp;

/// <summary>The local identity and the identities of others, with the application's trust decisions.</summary>
public interface IIdentityKeyStore
{
    /// <summary>Loads the local identity key pair.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A fresh instance the caller owns and disposes.</returns>
    ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default);

    /// <summary>Loads the local registration id.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The registration id.</returns>
    ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="identityKey"/> as the identity of <paramref name="address"/>'s user.</summary>
    /// <param name="address">The remote address.</param>
    /// <param name="identityKey">Its identity key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when a different key was stored before and has been replaced.</returns>
    ValueTask<bool> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default);

    /// <summary>Decides whether <paramref name="identityKey"/> may be used for <paramref name="address"/>.</summary>
    /// <param name="address">The remote address.</param>
    /// <param name="identityKey">The identity key in question.</param>
    /// <param name="direction">Whether we are sending or receiving.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when trusted.</returns>
    ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, Direction direction, CancellationToken cancellationToken = default);

    /// <summary>Loads the stored identity of <paramref name="address"/>'s user.</summary>
    /// <param name="address">The remote address.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The identity key, or null when none is stored.</returns>
    ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default);
}
