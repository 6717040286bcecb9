namespace SignalSharp;

/// <summary>
/// The remote party's identity key differs from the one the identity store trusts for that name.
/// The app should show the safety-number change to the user and call the store's save method once the
/// user accepts the new key.
/// </summary>
public class UntrustedIdentityException : SignalProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="name">The remote user's name (address name without device).</param>
    /// <param name="message">What went wrong.</param>
    public UntrustedIdentityException(string name, string message) : base(message)
    {
        Name = name;
    }

    /// <summary>The remote user's name whose identity is not trusted.</summary>
    public string Name { get; }
}
