namespace SignalSharp;

/// <summary>All the stores one device needs for 1:1 sessions, in one object.</summary>
public interface ISignalProtocolStore : IIdentityKeyStore, ISessionStore, IPreKeyStore, ISignedPreKeyStore, IKyberPreKeyStore
{
}
