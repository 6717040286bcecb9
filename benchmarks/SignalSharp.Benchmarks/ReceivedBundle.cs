namespace SignalSharp.Benchmarks;

/// <summary>
/// A bundle as a client receives it: built from its parts with <see cref="PreKeyBundle.Create"/>, which verifies
/// both signatures. Session-setup benchmarks build it inside the measured operation, because libsignal verifies
/// the signatures in <c>processPreKeyBundle</c>, so both sides do the same work per setup.
/// </summary>
internal static class ReceivedBundle
{
    public static PreKeyBundle From(PreKeyBundle published) => PreKeyBundle.Create(
        registrationId: published.RegistrationId,
        deviceId: published.DeviceId,
        identityKey: published.IdentityKey,
        signedPreKeyId: published.SignedPreKeyId,
        signedPreKey: published.SignedPreKey,
        signedPreKeySignature: published.SignedPreKeySignature,
        kyberPreKeyId: published.KyberPreKeyId,
        kyberPreKey: published.KyberPreKey,
        kyberPreKeySignature: published.KyberPreKeySignature,
        preKeyId: published.PreKeyId,
        preKey: published.PreKey);
}
