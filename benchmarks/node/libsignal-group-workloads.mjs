// Large-group workloads of benchmarks/compare on libsignal 0.103 (the same as SignalSharp's
// CompareBenchmarks.Groups.cs), registered by libsignal-workloads.mjs. A sender with sessions (from a pre-key
// bundle) to 10, 100 or 1,000 devices, each a different user:
//   distributeN: create the sender-key distribution message and encrypt it for every device over its session;
//   fanoutN:     group-encrypt 64 B, then one sealedSenderMultiRecipientEncrypt for every device.
// One operation covers the whole group.

const now = 1_800_000_000_000;
const aliceName = '9d0652a3-dcc3-4d11-975f-74d61598733f';

/** @param S libsignal; @param k the stores and constants of libsignal-workloads.mjs */
export function groupScenarios(S, k) {
  const aliceAddress = S.ProtocolAddress.new(aliceName, 1);
  const states = new Map();

  async function groupState(devices) {
    if (states.has(devices)) return states.get(devices);
    const aliceIdentity = S.IdentityKeyPair.generate();
    const sessions = new k.SessionStore();
    const identities = new k.IdentityStore(aliceIdentity, 1);
    const recipients = [];
    for (let i = 0; i < devices; i++) {
      const identity = S.IdentityKeyPair.generate();
      const signedPrivate = S.PrivateKey.generate();
      const signedPublic = signedPrivate.getPublicKey();
      const kem = S.KEMKeyPair.generate();
      const bundle = S.PreKeyBundle.new((i % 16000) + 1, 1, null, null, 1, signedPublic, identity.privateKey.sign(signedPublic.serialize()),
        identity.publicKey, 1, kem.getPublicKey(), identity.privateKey.sign(kem.getPublicKey().serialize()));
      const hex = (i + 1).toString(16).padStart(8, '0');
      const address = S.ProtocolAddress.new(`${hex}-0000-0000-8000-000000000001`, 1);
      await S.processPreKeyBundle(bundle, address, aliceAddress, sessions, identities);
      recipients.push(address);
    }
    const senderKeys = new k.SenderKeyStore();
    await S.SenderKeyDistributionMessage.create(aliceAddress, k.distributionId, senderKeys);
    const root = S.PrivateKey.generate();
    const serverKey = S.PrivateKey.generate();
    const server = S.ServerCertificate.new(1, serverKey.getPublicKey(), root);
    const cert = S.SenderCertificate.new(aliceName, null, 1, aliceIdentity.publicKey, now, server, serverKey);
    const state = { sessions, identities, recipients, senderKeys, cert };
    states.set(devices, state);
    return state;
  }

  function distribute(devices) {
    let state = null;
    return {
      async init() {
        state = await groupState(devices);
      },
      async op() {
        const skdm = (await S.SenderKeyDistributionMessage.create(aliceAddress, k.distributionId, state.senderKeys)).serialize();
        let bytes = 0;
        for (const recipient of state.recipients) {
          bytes += (await S.signalEncrypt(skdm, recipient, aliceAddress, state.sessions, state.identities)).serialize().length;
        }
        return bytes;
      },
    };
  }

  function fanout(devices) {
    let state = null;
    const groupId = new Uint8Array(16);
    return {
      async init() {
        state = await groupState(devices);
      },
      async op() {
        const body = await S.groupEncrypt(aliceAddress, k.distributionId, state.senderKeys, k.plaintext64);
        const content = S.UnidentifiedSenderMessageContent.new(body, state.cert, 1, groupId);
        return S.sealedSenderMultiRecipientEncrypt({
          content,
          recipients: state.recipients,
          identityStore: state.identities,
          sessionStore: state.sessions,
        });
      },
    };
  }

  return {
    distribute10: distribute(10),
    distribute100: distribute(100),
    distribute1000: distribute(1000),
    fanout10: fanout(10),
    fanout100: fanout(100),
    fanout1000: fanout(1000),
  };
}
