using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Lattice;

namespace SignalSharp.Benchmarks.Compare;

/// <summary>
/// Where a session setup's time goes: the three protocol phases and the KEM primitives they use, as median
/// process CPU time per operation over rounds (for profiling decisions on a shared machine).
/// Run: dotnet run -c Release --project benchmarks/SignalSharp.Benchmarks -- --setup-phases
/// </summary>
internal static class SetupPhases
{
    public static void Run(bool primitivesOnly = false)
    {
        {
            var hkey = RandomNumberGenerator.GetBytes(32);
            var tag = new byte[32];
            var mac = RandomNumberGenerator.GetBytes(230);
            var okm = new byte[80];
            Time("HMAC 1 B, BCL one-shot", 20000, () => HMACSHA256.HashData(hkey, [1], tag));
            Time("HMAC 1 B, SignalSharp wrapper", 20000, () => SignalSharp.Crypto.HmacSha256.Compute(hkey, [1], tag));
            Time("HMAC 230 B, BCL one-shot", 20000, () => HMACSHA256.HashData(hkey, mac, tag));
            Time("HMAC 230 B, SignalSharp wrapper", 20000, () => SignalSharp.Crypto.HmacSha256.Compute(hkey, mac, tag));
            Time("HKDF 80 B, BCL", 20000, () => HKDF.DeriveKey(HashAlgorithmName.SHA256, hkey, okm, hkey, "WhisperMessageKeys"u8));
            Time("HKDF 80 B, SignalSharp wrapper", 20000, () => SignalSharp.Crypto.SignalHkdf.DeriveKey(hkey, hkey, "WhisperMessageKeys"u8, okm));
            if (primitivesOnly)
            {
                return;
            }
        }

        var alice = new ProtocolAddress("alice", 1);
        var bob = new ProtocolAddress("bob", 1);
        var aliceIdentity = IdentityKeyPair.Generate();
        var bobIdentity = IdentityKeyPair.Generate();
        var bobIdentities = new InMemoryIdentityKeyStore(bobIdentity, 2);
        var signedStore = new InMemorySignedPreKeyStore();
        var kyberStore = new InMemoryKyberPreKeyStore();
        var preKeys = new InMemoryPreKeyStore();
        using var signed = KeyHelper.GenerateSignedPreKey(bobIdentity, 1, 0);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(bobIdentity, 1, 0);
        Sync.Run(signedStore.StoreSignedPreKeyAsync(1, signed));
        Sync.Run(kyberStore.StoreKyberPreKeyAsync(1, kyber));
        var bundle = new PreKeyBundle(2, 1, null, null, 1, signed.PublicKey, signed.Signature, bobIdentity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);
        var plaintext = new byte[64];

        InMemorySessionStore aliceSessions = null!;
        InMemoryIdentityKeyStore aliceIdentities = null!;
        byte[] first = null!;
        Time("processPreKeyBundle", 200, () =>
        {
            aliceSessions = new InMemorySessionStore();
            aliceIdentities = new InMemoryIdentityKeyStore(aliceIdentity, 1);
            Sync.Run(new SessionBuilder(aliceSessions, aliceIdentities, bob).ProcessPreKeyBundleAsync(bundle));
        });
        Time("first encrypt (after a fresh bundle)", 200, () =>
        {
            aliceSessions = new InMemorySessionStore();
            aliceIdentities = new InMemoryIdentityKeyStore(aliceIdentity, 1);
            Sync.Run(new SessionBuilder(aliceSessions, aliceIdentities, bob).ProcessPreKeyBundleAsync(bundle));
            first = Sync.Run(new SessionCipher(aliceSessions, aliceIdentities, preKeys, signedStore, kyberStore, alice, bob).EncryptAsync(plaintext)).Serialize();
        }, "processPreKeyBundle");
        Time("responder decrypt", 200, () =>
        {
            var bobCipher = new SessionCipher(new InMemorySessionStore(), bobIdentities, preKeys, signedStore, kyberStore, bob, alice);
            Sync.Run(bobCipher.DecryptAsync(PreKeySignalMessage.Deserialize(first)));
        }, prepare: () =>
        {
            var sessions = new InMemorySessionStore();
            var identities = new InMemoryIdentityKeyStore(aliceIdentity, 1);
            Sync.Run(new SessionBuilder(sessions, identities, bob).ProcessPreKeyBundleAsync(bundle));
            first = Sync.Run(new SessionCipher(sessions, identities, preKeys, signedStore, kyberStore, alice, bob).EncryptAsync(plaintext)).Serialize();
        });

        var m = RandomNumberGenerator.GetBytes(32);
        var ss = new byte[32];
        var ek = new byte[Kyber1024.EncapsulationKeySize];
        var dk = new byte[Kyber1024.DecapsulationKeySize];
        var ct = new byte[Kyber1024.CiphertextSize];
        Kyber1024.GenerateKeyPair(ek, dk);
        Kyber1024.Encapsulate(ek, m, ct, ss);
        Time("bundle.VerifySignatures", 300, bundle.VerifySignatures);
        Time("EcKeyPair.Generate", 300, () => EcKeyPair.Generate(SignalSharp.RandomSource.Secure).Dispose());
        Time("KemPublicKey.Encapsulate", 300, () => bundle.KyberPreKey.Encapsulate(SignalSharp.RandomSource.Secure).Dispose());
        var auth = new byte[32];
        Time("SpqrState.Initialize", 300, () => SignalSharp.Spqr.SpqrState.Initialize(auth, SignalSharp.Spqr.SpqrDirection.A2B));
        var spqr = SignalSharp.Spqr.SpqrState.Initialize(auth, SignalSharp.Spqr.SpqrDirection.A2B);
        Time("SpqrState.Send (first)", 300, () => spqr.Send(SignalSharp.RandomSource.Secure));
        var rec = Sync.Run(aliceSessions.LoadSessionAsync(bob))!;
        Time("SessionRecord.Clone (fresh session)", 300, () => rec.Clone());
        var wipe = new byte[2048];
        Time("ZeroMemory 2 KiB", 3000, () => CryptographicOperations.ZeroMemory(wipe));
        Time("Kyber1024 encapsulate", 300, () => Kyber1024.Encapsulate(ek, m, ct, ss));
        Time("Kyber1024 decapsulate", 300, () => Kyber1024.Decapsulate(dk, ct, ss));
        var ek768 = new byte[MlKem768.EncapsulationKeySize];
        var dk768 = new byte[MlKem768.DecapsulationKeySize];
        var ct768 = new byte[MlKem768.CiphertextSize];
        Time("ML-KEM-768 keygen", 300, () => MlKem768.GenerateKeyPair(ek768, dk768));
        Time("ML-KEM-768 encapsulate", 300, () => MlKem768.Encapsulate(ek768, m, ct768, ss));
        Time("ML-KEM-768 decapsulate", 300, () => MlKem768.Decapsulate(dk768, ct768, ss));
        using var key = EcPrivateKey.Generate();
        var pub = EcPrivateKey.Generate().PublicKey;
        var shared = new byte[32];
        Time("X25519 agree", 300, () => key.CalculateAgreement(pub, shared));
        var sig = bobIdentity.PrivateKey.CalculateSignature(kyber.PublicKey.Serialize());
        Time("XEdDSA verify (1569 B)", 300, () => bobIdentity.IdentityKey.PublicKey.VerifySignature(kyber.PublicKey.Serialize(), sig));
    }

    private static readonly Dictionary<string, double> Results = [];

    private static void Time(string name, int iterations, Action action, string? subtract = null, Action? prepare = null)
    {
        for (int i = 0; i < iterations; i++)
        {
            prepare?.Invoke();
            action();
        }

        var samples = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            double total = 0;
            if (prepare is null)
            {
                long c0 = CpuTime.Nanoseconds();
                for (int i = 0; i < iterations; i++)
                {
                    action();
                }

                total = CpuTime.Nanoseconds() - c0;
            }
            else
            {
                for (int i = 0; i < iterations; i++)
                {
                    prepare();
                    long c0 = CpuTime.Nanoseconds();
                    action();
                    total += CpuTime.Nanoseconds() - c0;
                }
            }

            samples.Add(total / iterations / 1000);
        }

        samples.Sort();
        double median = samples[samples.Count / 2];
        Results[name] = median;
        if (subtract is not null)
        {
            median -= Results[subtract];
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} {median,8:F2} µs"));
    }
}
