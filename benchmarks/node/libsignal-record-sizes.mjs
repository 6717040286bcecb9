// Serialized record sizes in libsignal 0.103 after the same conversation as SignalSharp's
// benchmarks/SignalSharp.Benchmarks/Scale/ManySessions.cs (RecordSizes): prints one JSON object.
//   established:           Alice's session record after bundle, PreKey message, reply and one more message
//   after100RoundTrips:    Alice's record after 100 more round trips
//   receiverWith49Skipped: Bob's record after Alice sent 50 more and Bob read only the last
//   senderKeyReceived:     a receiver's sender-key record after processing a distribution message
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/node/package.json'));
const S = require('@signalapp/libsignal-client');

const key = (a) => `${a.name()}.${a.deviceId()}`;
class Identities extends S.IdentityKeyStore {
  constructor(pair, id) { super(); this.pair = pair; this.id = id; this.known = new Map(); }
  async getIdentityKey() { return this.pair.privateKey; }
  async getIdentityKeyPair() { return this.pair; }
  async getLocalRegistrationId() { return this.id; }
  async saveIdentity(a, k) { this.known.set(a.name(), k); return S.IdentityChange.NewOrUnchanged; }
  async isTrustedIdentity() { return true; }
  async getIdentity(a) { return this.known.get(a.name()) ?? null; }
}
class Sessions extends S.SessionStore {
  constructor() { super(); this.m = new Map(); }
  async saveSession(a, r) { this.m.set(key(a), r); }
  async getSession(a) { return this.m.get(key(a)) ?? null; }
  async getExistingSessions(as) { return as.map((a) => this.m.get(key(a))); }
}
class SignedKeys extends S.SignedPreKeyStore {
  constructor() { super(); this.m = new Map(); }
  async saveSignedPreKey(id, r) { this.m.set(id, r); }
  async getSignedPreKey(id) { return this.m.get(id); }
}
class KyberKeys extends S.KyberPreKeyStore {
  constructor() { super(); this.m = new Map(); }
  async saveKyberPreKey(id, r) { this.m.set(id, r); }
  async getKyberPreKey(id) { return this.m.get(id); }
  async markKyberPreKeyUsed() {}
}
class PreKeys extends S.PreKeyStore {
  constructor() { super(); this.m = new Map(); }
  async savePreKey(id, r) { this.m.set(id, r); }
  async getPreKey(id) { return this.m.get(id); }
  async removePreKey(id) { this.m.delete(id); }
}
class SenderKeys extends S.SenderKeyStore {
  constructor() { super(); this.m = new Map(); }
  async saveSenderKey(s, d, r) { this.m.set(`${key(s)}/${d}`, r); }
  async getSenderKey(s, d) { return this.m.get(`${key(s)}/${d}`) ?? null; }
}

const aliceAddress = S.ProtocolAddress.new('alice', 1);
const bobAddress = S.ProtocolAddress.new('bob', 1);
const p = new Uint8Array(64);
const aliceIdentity = S.IdentityKeyPair.generate();
const bobIdentity = S.IdentityKeyPair.generate();
const alice = { sessions: new Sessions(), identities: new Identities(aliceIdentity, 1) };
const bob = { sessions: new Sessions(), identities: new Identities(bobIdentity, 2), preKeys: new PreKeys(), signed: new SignedKeys(), kyber: new KyberKeys() };
const signedPrivate = S.PrivateKey.generate();
const signedPublic = signedPrivate.getPublicKey();
const signedSignature = bobIdentity.privateKey.sign(signedPublic.serialize());
await bob.signed.saveSignedPreKey(1, S.SignedPreKeyRecord.new(1, Date.now(), signedPublic, signedPrivate, signedSignature));
const kem = S.KEMKeyPair.generate();
const kyberSignature = bobIdentity.privateKey.sign(kem.getPublicKey().serialize());
await bob.kyber.saveKyberPreKey(1, S.KyberPreKeyRecord.new(1, Date.now(), kem, kyberSignature));
await S.processPreKeyBundle(
  S.PreKeyBundle.new(2, 1, null, null, 1, signedPublic, signedSignature, bobIdentity.publicKey, 1, kem.getPublicKey(), kyberSignature),
  bobAddress, aliceAddress, alice.sessions, alice.identities);
const aliceEncrypt = () => S.signalEncrypt(p, bobAddress, aliceAddress, alice.sessions, alice.identities);
const bobEncrypt = () => S.signalEncrypt(p, aliceAddress, bobAddress, bob.sessions, bob.identities);
const bobDecrypt = (m) => S.signalDecrypt(S.SignalMessage.deserialize(m.serialize()), aliceAddress, bobAddress, bob.sessions, bob.identities);
const aliceDecrypt = (m) => S.signalDecrypt(S.SignalMessage.deserialize(m.serialize()), bobAddress, aliceAddress, alice.sessions, alice.identities);

const first = await aliceEncrypt();
await S.signalDecryptPreKey(S.PreKeySignalMessage.deserialize(first.serialize()), aliceAddress, bobAddress, bob.sessions, bob.identities, bob.preKeys, bob.signed, bob.kyber);
await aliceDecrypt(await bobEncrypt());
await bobDecrypt(await aliceEncrypt());
const sizes = {};
const aliceRecord = async () => (await alice.sessions.getSession(bobAddress)).serialize().length;
sizes.established = await aliceRecord();
for (let i = 0; i < 100; i++) {
  await bobDecrypt(await aliceEncrypt());
  await aliceDecrypt(await bobEncrypt());
}
sizes.after100RoundTrips = await aliceRecord();
let last = null;
for (let i = 0; i < 50; i++) last = await aliceEncrypt();
await bobDecrypt(last);
sizes.receiverWith49Skipped = (await bob.sessions.getSession(aliceAddress)).serialize().length;

const distributionId = '0f0f0f0f-0000-4000-8000-000000000000';
const senderKeys = new SenderKeys();
const receiverKeys = new SenderKeys();
const skdm = await S.SenderKeyDistributionMessage.create(aliceAddress, distributionId, senderKeys);
await S.processSenderKeyDistributionMessage(aliceAddress, S.SenderKeyDistributionMessage.deserialize(skdm.serialize()), receiverKeys);
sizes.senderKeyReceived = (await receiverKeys.getSenderKey(aliceAddress, distributionId)).serialize().length;
process.stdout.write(`${JSON.stringify(sizes)}\n`);
