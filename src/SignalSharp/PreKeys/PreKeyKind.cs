namespace SignalSharp;

/// <summary>The three kinds of pre-key a device publishes; each has its own id space and store.</summary>
public enum PreKeyKind
{
    /// <summary>A one-time EC pre-key (<see cref="PreKeyRecord"/>), removed after its first use.</summary>
    OneTime,

    /// <summary>A signed EC pre-key (<see cref="SignedPreKeyRecord"/>), rotated by the app.</summary>
    Signed,

    /// <summary>A signed Kyber pre-key (<see cref="KyberPreKeyRecord"/>), one-time or last-resort.</summary>
    Kyber,
}
