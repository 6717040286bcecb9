// Sealed sender workloads of benchmarks/compare on libsignal 0.103 (the same as SignalSharp's
// CompareBenchmarks.Sealed.cs), registered by libsignal-workloads.mjs: v1 encrypt of a 64 B message on a live
// session, v1 decrypt of such envelopes, and v2 multi-recipient encrypt of a prepared 64 B group-message USMC to
// 1, 10, 100 and 1,000 devices, each device a different user.

const now = 1_800_000_000_000;
const aliceName = '9d0652a3-dcc3-4d11-975f-74d61598733f';
const bobName = '6838237d-02f6-4098-b110-698253d15961';

/** @param S libsignal; @param k the stores and constants of libsignal-workloads.mjs */
export function sealedScenarios(S, k) {
  const aliceAddress = S.ProtocolAddress.new(aliceName, 1);
  const bobAddress = S.ProtocolAddress.new(bobName, 1);

  function certificate(aliceIdentity, expiration) {
    const root = S.PrivateKey.generate();
    const serverKey = S.PrivateKey.generate();
    const server = S.ServerCertificate.new(1, serverKey.getPublicKey(), root);
    return { root, cert: S.SenderCertificate.new(aliceName, null, 1, aliceIdentity.publicKey, expiration, server, serverKey) };
  }

  async function bundleFor(identity, registrationId) {
    const signedPrivate = S.PrivateKey.generate();
    const signedPublic = signedPrivate.getPublicKey();
    const signedSignature = identity.privateKey.sign(signedPublic.serialize());
    const kem = S.KEMKeyPair.generate();
    const kyberSignature = identity.privateKey.sign(kem.getPublicKey().serialize());
    return {
      bundle: S.PreKeyBundle.new(registrationId, 1, null, null, 1, signedPublic, signedSignature, identity.publicKey, 1, kem.getPublicKey(), kyberSignature),
      signed: S.SignedPreKeyRecord.new(1, Date.now(), signedPublic, signedPrivate, signedSignature),
      kyber: S.KyberPreKeyRecord.new(1, Date.now(), kem, kyberSignature),
    };
  }

  /** Alice and Bob with ServiceId names and an answered session. */
  async function pair(aliceIdentity) {
    const bobIdentity = S.IdentityKeyPair.generate();
    const alice = { sessions: new k.SessionStore(), identities: new k.IdentityStore(aliceIdentity, 1) };
    const bob = {
      sessions: new k.SessionStore(),
      identities: new k.IdentityStore(bobIdentity, 2),
      preKeys: new k.PreKeyStore(),
      signedPreKeys: new k.SignedPreKeyStore(),
      kyberPreKeys: new k.KyberPreKeyStore(),
    };
    const { bundle, signed, kyber } = await bundleFor(bobIdentity, 2);
    await bob.signedPreKeys.saveSignedPreKey(1, signed);
    await bob.kyberPreKeys.saveKyberPreKey(1, kyber);
    await S.processPreKeyBundle(bundle, bobAddress, aliceAddress, alice.sessions, alice.identities);
    const p = new Uint8Array(64);
    const first = await S.signalEncrypt(p, bobAddress, aliceAddress, alice.sessions, alice.identities);
    await S.signalDecryptPreKey(S.PreKeySignalMessage.deserialize(first.serialize()), aliceAddress, bobAddress, bob.sessions, bob.identities, bob.preKeys, bob.signedPreKeys, bob.kyberPreKeys);
    const reply = await S.signalEncrypt(p, aliceAddress, bobAddress, bob.sessions, bob.identities);
    await S.signalDecrypt(S.SignalMessage.deserialize(reply.serialize()), bobAddress, aliceAddress, alice.sessions, alice.identities);
    const more = await S.signalEncrypt(p, bobAddress, aliceAddress, alice.sessions, alice.identities);
    await S.signalDecrypt(S.SignalMessage.deserialize(more.serialize()), aliceAddress, bobAddress, bob.sessions, bob.identities);
    return { alice, bob };
  }

  function sealedEncrypt() {
    let state = null;
    return {
      async init() {
        const identity = S.IdentityKeyPair.generate();
        state = { ...(await pair(identity)), ...certificate(identity, now + 86_400_000) };
      },
      op: () => S.sealedSenderEncryptMessage(k.plaintext64, bobAddress, state.cert, state.alice.sessions, state.alice.identities),
    };
  }

  function sealedDecrypt() {
    let state = null;
    let inputs = [];
    return {
      async init() {
        const identity = S.IdentityKeyPair.generate();
        state = { ...(await pair(identity)), ...certificate(identity, now + 86_400_000) };
      },
      async prepare(n) {
        inputs = [];
        for (let i = 0; i < n; i++) {
          inputs.push(await S.sealedSenderEncryptMessage(k.plaintext64, bobAddress, state.cert, state.alice.sessions, state.alice.identities));
        }
      },
      op: async (i) => {
        const b = state.bob;
        const result = await S.sealedSenderDecryptMessage(
          inputs[i], state.root.getPublicKey(), now, null, bobName, 1, b.sessions, b.identities, b.preKeys, b.signedPreKeys, b.kyberPreKeys,
        );
        return result.message();
      },
    };
  }

  function multi(devices) {
    let state = null;
    return {
      async init() {
        const aliceIdentity = S.IdentityKeyPair.generate();
        const sessions = new k.SessionStore();
        const identities = new k.IdentityStore(aliceIdentity, 1);
        const recipients = [];
        for (let i = 0; i < devices; i++) {
          const hex = (i + 1).toString(16).padStart(8, '0');
          const address = S.ProtocolAddress.new(`${hex}-0000-0000-8000-000000000001`, 1);
          const { bundle } = await bundleFor(S.IdentityKeyPair.generate(), (i % 16000) + 1);
          await S.processPreKeyBundle(bundle, address, aliceAddress, sessions, identities);
          recipients.push(address);
        }
        const senderKeys = new k.SenderKeyStore();
        await S.SenderKeyDistributionMessage.create(aliceAddress, k.distributionId, senderKeys);
        const body = await S.groupEncrypt(aliceAddress, k.distributionId, senderKeys, k.plaintext64);
        const { cert } = certificate(aliceIdentity, now);
        const content = S.UnidentifiedSenderMessageContent.new(body, cert, 1, new Uint8Array(16));
        state = { content, recipients, identities, sessions };
      },
      op: () =>
        S.sealedSenderMultiRecipientEncrypt({
          content: state.content,
          recipients: state.recipients,
          identityStore: state.identities,
          sessionStore: state.sessions,
        }),
    };
  }

  return {
    sealedEncrypt64: sealedEncrypt(),
    sealedDecrypt64: sealedDecrypt(),
    sealedV2x1: multi(1),
    sealedV2x10: multi(10),
    sealedV2x100: multi(100),
    sealedV2x1000: multi(1000),
  };
}
