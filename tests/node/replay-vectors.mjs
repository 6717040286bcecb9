// Replays the full-protocol test vectors (docs/test-vectors, see its README) in the official libsignal 0.103
// (npm @signalapp/libsignal-client) as a black box: the receiving party's private keys from the vector are
// imported into in-memory stores, and libsignal decrypts the vector's messages in the recorded order; every
// plaintext must equal the recorded one. For a safety-number vector, libsignal computes both parties' views.
//
// Usage: node replay-vectors.mjs [folder or file ...]   (default: ../../docs/test-vectors)
// Prints one JSON line per vector: {file, kind, replayedBy, decrypted, of, notReplayable, keyedChecks?, reason?};
// exits 1 on the first mismatch or libsignal error (with the step that failed on stderr).
//
// What libsignal's sessions cannot replay: a libsignal receiver generates its own fresh keys (its next ratchet
// key pair, its SPQR keys and encapsulations), and libsignal neither lets a caller inject them nor reads
// SignalSharp's session records. So from the first step in which the replayed party encrypts, its later
// decryptions depend on keys libsignal never had; they are counted as notReplayable and each gets the keyed
// check (checkWithRecordedKeys) instead. SignalSharp's regeneration test pins them byte for byte as well.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as S from '@signalapp/libsignal-client';
import SealedSenderMultiRecipientMessage from '@signalapp/libsignal-client/dist/SealedSenderMultiRecipientMessage.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const hex = (s) => Buffer.from(s, 'hex');
const toHex = (b) => Buffer.from(b).toString('hex');

class ReplayError extends Error {}

// ---------------------------------------------------------------------------------------------------------
// Stores holding one receiving device built from a vector.

class VectorIdentityStore extends S.IdentityKeyStore {
  constructor(privateKey, registrationId) {
    super();
    this.privateKey = privateKey;
    this.registrationId = registrationId;
    this.identities = new Map();
  }
  async getIdentityKey() { return this.privateKey; }
  async getLocalRegistrationId() { return this.registrationId; }
  async saveIdentity(address, key) {
    const name = address.toString();
    const old = this.identities.get(name);
    this.identities.set(name, key.serialize());
    return old !== undefined && !Buffer.from(old).equals(Buffer.from(key.serialize()))
      ? S.IdentityChange.ReplacedExisting
      : S.IdentityChange.NewOrUnchanged;
  }
  async isTrustedIdentity(address, key) {
    const old = this.identities.get(address.toString());
    return old === undefined || Buffer.from(old).equals(Buffer.from(key.serialize()));
  }
  async getIdentity(address) {
    const old = this.identities.get(address.toString());
    return old === undefined ? null : S.PublicKey.deserialize(old);
  }
}

class MapSessionStore extends S.SessionStore {
  sessions = new Map();
  async saveSession(address, record) { this.sessions.set(address.toString(), record.serialize()); }
  async getSession(address) {
    const bytes = this.sessions.get(address.toString());
    return bytes === undefined ? null : S.SessionRecord.deserialize(bytes);
  }
  async getExistingSessions(addresses) {
    return Promise.all(addresses.map((a) => this.getSession(a)));
  }
}

class MapPreKeyStore extends S.PreKeyStore {
  records = new Map();
  async savePreKey(id, record) { this.records.set(id, record.serialize()); }
  async getPreKey(id) {
    const bytes = this.records.get(id);
    if (bytes === undefined) throw new ReplayError(`no one-time pre-key ${id}`);
    return S.PreKeyRecord.deserialize(bytes);
  }
  async removePreKey(id) { this.records.delete(id); }
}

class MapSignedPreKeyStore extends S.SignedPreKeyStore {
  records = new Map();
  async saveSignedPreKey(id, record) { this.records.set(id, record.serialize()); }
  async getSignedPreKey(id) {
    const bytes = this.records.get(id);
    if (bytes === undefined) throw new ReplayError(`no signed pre-key ${id}`);
    return S.SignedPreKeyRecord.deserialize(bytes);
  }
}

class MapKyberPreKeyStore extends S.KyberPreKeyStore {
  records = new Map();
  async saveKyberPreKey(id, record) { this.records.set(id, record.serialize()); }
  async getKyberPreKey(id) {
    const bytes = this.records.get(id);
    if (bytes === undefined) throw new ReplayError(`no Kyber pre-key ${id}`);
    return S.KyberPreKeyRecord.deserialize(bytes);
  }
  async markKyberPreKeyUsed() {
    // One-time Kyber keys stay available: messages of one chain may arrive out of order, and libsignal itself
    // accepts a repeated (kyber id, signed id, base key) for them.
  }
}

class MapSenderKeyStore extends S.SenderKeyStore {
  records = new Map();
  async saveSenderKey(sender, distributionId, record) {
    this.records.set(`${sender.toString()}/${distributionId}`, record.serialize());
  }
  async getSenderKey(sender, distributionId) {
    const bytes = this.records.get(`${sender.toString()}/${distributionId}`);
    return bytes === undefined ? null : S.SenderKeyRecord.deserialize(bytes);
  }
}

// libsignal's Node API has no constructor for a KEM key pair from raw bytes, so the Kyber pre-key record is
// built in its local protobuf form {1 id u32, 2 public, 3 private, 4 signature, 5 timestamp fixed64 ms}.
function kyberPreKeyRecord(k) {
  const parts = [];
  const varint = (n) => {
    const out = [];
    let v = BigInt(n);
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) b |= 0x80;
      out.push(b);
    } while (v !== 0n);
    return Buffer.from(out);
  };
  const bytesField = (tag, b) => Buffer.concat([Buffer.from([tag]), varint(b.length), b]);
  parts.push(Buffer.from([0x08]), varint(k.id));
  parts.push(bytesField(0x12, hex(k.public)));
  parts.push(bytesField(0x1a, hex(k.secret)));
  parts.push(bytesField(0x22, hex(k.signature)));
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64LE(BigInt(k.timestamp));
  parts.push(Buffer.from([0x29]), ts);
  return S.KyberPreKeyRecord.deserialize(Buffer.concat(parts));
}

function address(party) {
  return S.ProtocolAddress.new(party.address.name, party.address.deviceId);
}

async function receiverStores(party) {
  const identityPrivate = S.PrivateKey.deserialize(hex(party.identityKey.private));
  if (toHex(identityPrivate.getPublicKey().serialize()) !== party.identityKey.public) {
    throw new ReplayError('identity public key does not match its private key');
  }
  const stores = {
    identity: new VectorIdentityStore(identityPrivate, party.registrationId),
    session: new MapSessionStore(),
    preKey: new MapPreKeyStore(),
    signedPreKey: new MapSignedPreKeyStore(),
    kyberPreKey: new MapKyberPreKeyStore(),
    senderKey: new MapSenderKeyStore(),
  };
  if (party.signedPreKey) {
    const k = party.signedPreKey;
    await stores.signedPreKey.saveSignedPreKey(k.id, S.SignedPreKeyRecord.new(
      k.id, k.timestamp, S.PublicKey.deserialize(hex(k.public)), S.PrivateKey.deserialize(hex(k.private)), hex(k.signature)));
  }
  if (party.oneTimePreKey) {
    const k = party.oneTimePreKey;
    await stores.preKey.savePreKey(k.id, S.PreKeyRecord.new(
      k.id, S.PublicKey.deserialize(hex(k.public)), S.PrivateKey.deserialize(hex(k.private))));
  }
  if (party.kyberPreKey) {
    await stores.kyberPreKey.saveKyberPreKey(party.kyberPreKey.id, kyberPreKeyRecord(party.kyberPreKey));
  }
  return stores;
}

// ---------------------------------------------------------------------------------------------------------
// Replays.

function sentMessages(vector) {
  const sent = new Map();
  for (const step of vector.steps) {
    if (step.message !== undefined && step.messageId !== undefined) sent.set(step.messageId, step);
  }
  return sent;
}

// The keyed check of one decryption that libsignal's session API cannot replay (see the header): libsignal's
// X25519 and HKDF recompute every DH ratchet step and the message keys in the step's trace from the recorded
// inputs, libsignal rebuilds the SignalMessage from its recorded fields and MAC key (byte for byte, when it
// carries no addresses field, which libsignal's constructor cannot add), and Node's HMAC and AES-CBC check the
// MAC and decrypt the body to the recorded plaintext. The sender's chain key of that message must give the
// receiver's message seed.
// SPQR chain epochs from every trace, each re-derived with libsignal's HKDF: epoch 0 from the PQXDH
// spqr_auth_key, epoch e from the epoch secret (itself derived from the recorded ML-KEM shared secret, since
// libsignal exposes no ML-KEM-768) and epoch e - 1's next root. Returns epoch -> {a2b, b2a, nextRoot}.
function spqrChainEpochs(vector) {
  const zero = Buffer.alloc(32);
  const chains = new Map();
  const secrets = new Map();
  let authKey;
  for (const step of vector.steps) {
    const trace = step.trace ?? [];
    const fail = (what) => { throw new ReplayError(`step ${step.step}: keyed check: ${what}`); };
    for (let i = 0; i < trace.length; i++) {
      const t = trace[i];
      if (t.name === 'pqxdh.spqr_auth_key') {
        authKey = hex(t.value);
      } else if (t.name === 'spqr.epoch') {
        const epoch = t.value;
        const [shared, secret] = [trace[i + 1], trace[i + 2]];
        if (shared?.name !== 'spqr.kem_shared_secret' || secret?.name !== 'spqr.epoch_secret') fail(`epoch ${epoch} lacks its secrets`);
        const label = Buffer.alloc(8);
        label.writeBigUInt64BE(BigInt(epoch));
        const derived = S.hkdf(32, hex(shared.value), Buffer.concat([Buffer.from('Signal_PQCKA_V1_MLKEM768:SCKA Key'), label]), zero);
        if (toHex(derived) !== secret.value) fail(`SPQR epoch secret ${epoch} differs from the recorded value`);
        secrets.set(epoch, derived);
      } else if (t.name === 'spqr.chain_epoch') {
        const epoch = t.value;
        const [nextRoot, a2b, b2a] = [trace[i + 1], trace[i + 2], trace[i + 3]].map((x) => hex(x.value));
        const derived = epoch === 0
          ? S.hkdf(96, authKey, Buffer.from('Signal PQ Ratchet V1 Chain  Start'), zero)
          : S.hkdf(96, secrets.get(epoch), Buffer.from('Signal PQ Ratchet V1 Chain Add Epoch'), chains.get(epoch - 1).nextRoot);
        if (toHex(derived) !== toHex(Buffer.concat([nextRoot, a2b, b2a]))) fail(`SPQR chain epoch ${epoch} differs from the recorded value`);
        chains.set(epoch, { nextRoot, a2b, b2a });
      }
    }
  }
  return chains;
}

// The SPQR message key at position index of one direction of a chain epoch.
function spqrMessageKey(start, index) {
  let next = start;
  let key;
  for (let i = 1; i <= index; i++) {
    const info = Buffer.alloc(4);
    info.writeUInt32BE(i);
    const o = S.hkdf(64, next, Buffer.concat([info, Buffer.from('Signal PQ Ratchet V1 Chain Next')]), Buffer.alloc(32));
    next = o.subarray(0, 32);
    key = o.subarray(32, 64);
  }
  return key;
}

function checkWithRecordedKeys(vector, step, encryptStep, chains) {
  const trace = step.trace ?? [];
  const fail = (what) => { throw new ReplayError(`step ${step.step} (${step.messageId}): keyed check: ${what}`); };
  const same = (a, b, what) => { if (toHex(a) !== toHex(b)) fail(`${what} differs from the recorded value`); };
  for (let i = 0; i < trace.length; i++) {
    if (trace[i].name !== 'ratchet.our_private_key') continue;
    const value = (name) => {
      const entry = trace.slice(i, i + 7).find((t) => t.name === name);
      if (entry === undefined) fail(`ratchet step at trace ${i} lacks ${name}`);
      return hex(entry.value);
    };
    const ours = S.PrivateKey.deserialize(value('ratchet.our_private_key'));
    same(Buffer.from(ours.getPublicKey().serialize()).subarray(1), value('ratchet.our_public_key'), 'ratchet public key');
    const dh = ours.agree(S.PublicKey.deserialize(Buffer.concat([Buffer.from([0x05]), value('ratchet.their_public_key')])));
    same(dh, value('ratchet.dh'), 'ratchet DH');
    const derived = S.hkdf(64, dh, Buffer.from('WhisperRatchet'), value('ratchet.root_key_in'));
    same(derived, Buffer.concat([value('ratchet.root_key'), value('ratchet.chain_key')]), 'root and chain key');
  }
  const last = (name) => {
    const entry = trace.findLast((t) => t.name === name);
    if (entry === undefined) fail(`trace lacks ${name}`);
    return hex(entry.value);
  };
  const seed = last('message.seed');
  const senderChainKey = (encryptStep.trace ?? []).find((t) => t.name === 'chain.key');
  if (senderChainKey === undefined) fail('the encrypt step lacks chain.key');
  same(crypto.createHmac('sha256', hex(senderChainKey.value)).update(Buffer.from([0x01])).digest(), seed, 'message seed from the sender\'s chain key');
  const fields = encryptStep.messageType === 3 ? encryptStep.fields.message : encryptStep.fields;
  const pq = fields.pqRatchet;
  const chain = chains.get(pq.epoch - 1);
  if (chain === undefined || pq.index < 1) fail(`no SPQR chain epoch ${pq.epoch - 1} for the message's key`);
  // Alice initiated the session: she sends on the A2B chains.
  same(spqrMessageKey(encryptStep.party === 'alice' ? chain.a2b : chain.b2a, pq.index), last('spqr.message_key'), 'SPQR message key');
  const keys = S.hkdf(80, seed, Buffer.from('WhisperMessageKeys'), last('spqr.message_key'));
  const cipherKey = last('message.cipher_key');
  const macKey = last('message.mac_key');
  const iv = last('message.iv');
  same(keys, Buffer.concat([cipherKey, macKey, iv]), 'message keys');

  const bytes = hex(fields.bytes);
  const parsed = S.SignalMessage.deserialize(bytes);
  const sender = vector.parties[encryptStep.party].identityKey.public;
  const receiver = vector.parties[step.party].identityKey.public;
  const mac = crypto.createHmac('sha256', macKey).update(hex(sender)).update(hex(receiver))
    .update(bytes.subarray(0, bytes.length - 8)).digest().subarray(0, 8);
  same(mac, bytes.subarray(bytes.length - 8), 'MAC');
  if (fields.addresses === undefined) {
    const rebuilt = S.SignalMessage._new(fields.version, macKey, S.PublicKey.deserialize(hex(fields.ratchetKey)),
      fields.counter, fields.previousCounter, hex(fields.ciphertext), S.PublicKey.deserialize(hex(sender)),
      S.PublicKey.deserialize(hex(receiver)), hex(fields.pqRatchet.bytes));
    same(rebuilt.serialize(), bytes, 'SignalMessage rebuilt by libsignal');
  }
  const decipher = crypto.createDecipheriv('aes-256-cbc', cipherKey, iv);
  const plaintext = Buffer.concat([decipher.update(parsed.body()), decipher.final()]);
  same(plaintext, hex(step.plaintext), 'plaintext');
}

async function replaySession(vector) {
  const sent = sentMessages(vector);
  const decrypts = vector.steps.filter((s) => s.action === 'decrypt');
  const receiver = decrypts[0].party;
  const sender = receiver === 'alice' ? 'bob' : 'alice';
  const stores = await receiverStores(vector.parties[receiver]);
  const local = address(vector.parties[receiver]);
  const remote = address(vector.parties[sender]);
  let decrypted = 0;
  const reasons = [];
  for (const step of vector.steps) {
    if (step.party !== receiver) continue;
    if (step.action === 'encrypt') {
      if (decrypts.some((d) => d.party === receiver && d.step > step.step)) {
        reasons.push(`${receiver}'s decryptions after its first reply (step ${step.step}) use ratchet and SPQR keys it generated itself, which libsignal cannot import`);
      }
      break;
    }
    if (step.action !== 'decrypt') continue;
    const message = sent.get(step.messageId);
    const body = hex(message.message);
    let plaintext;
    try {
      plaintext = message.messageType === 3
        ? await S.signalDecryptPreKey(S.PreKeySignalMessage.deserialize(body), remote, local, stores.session,
          stores.identity, stores.preKey, stores.signedPreKey, stores.kyberPreKey)
        : await S.signalDecrypt(S.SignalMessage.deserialize(body), remote, local, stores.session, stores.identity);
    } catch (e) {
      throw new ReplayError(`step ${step.step} (${step.messageId}): libsignal failed: ${e.message}`);
    }
    if (toHex(plaintext) !== step.plaintext) {
      throw new ReplayError(`step ${step.step} (${step.messageId}): libsignal decrypted ${toHex(plaintext)}, the vector says ${step.plaintext}`);
    }
    decrypted++;
  }
  if (decrypts.some((d) => d.party === sender)) {
    reasons.push(`messages to ${sender} need ${sender}'s session, built from keys ${sender} generated itself (base key, ratchet keys), which libsignal cannot import`);
  }
  // Every decryption the session API could not reach gets the keyed check instead.
  const replayed = new Set(decrypts.filter((d) => d.party === receiver).slice(0, decrypted).map((d) => d.step));
  let keyedChecks = 0;
  const chains = spqrChainEpochs(vector);
  for (const step of decrypts) {
    if (replayed.has(step.step)) continue;
    checkWithRecordedKeys(vector, step, sent.get(step.messageId), chains);
    keyedChecks++;
  }
  return {
    replayedBy: receiver,
    decrypted,
    of: decrypts.length,
    notReplayable: decrypts.length - decrypted,
    keyedChecks,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
  };
}

async function replayGroup(vector) {
  const sent = sentMessages(vector);
  const receiver = vector.steps.find((s) => s.action === 'group_decrypt').party;
  const stores = await receiverStores(vector.parties[receiver]);
  let decrypted = 0;
  let senderAddress;
  for (const step of vector.steps) {
    if (step.party !== receiver) continue;
    if (step.action === 'process_distribution_message') {
      const sender = Object.keys(vector.parties).find((p) => p !== receiver);
      senderAddress = address(vector.parties[sender]);
      const message = S.SenderKeyDistributionMessage.deserialize(hex(step.distributionMessage));
      await S.processSenderKeyDistributionMessage(senderAddress, message, stores.senderKey);
    } else if (step.action === 'group_decrypt') {
      let plaintext;
      try {
        plaintext = await S.groupDecrypt(senderAddress, stores.senderKey, hex(sent.get(step.messageId).message));
      } catch (e) {
        throw new ReplayError(`step ${step.step} (${step.messageId}): libsignal failed: ${e.message}`);
      }
      if (toHex(plaintext) !== step.plaintext) {
        throw new ReplayError(`step ${step.step} (${step.messageId}): libsignal decrypted ${toHex(plaintext)}, the vector says ${step.plaintext}`);
      }
      decrypted++;
    }
  }
  const of = vector.steps.filter((s) => s.action === 'group_decrypt').length;
  return { replayedBy: receiver, decrypted, of, notReplayable: of - decrypted };
}

async function replaySafetyNumber(vector) {
  const views = [['alice', 'bob', vector.scannableAlice], ['bob', 'alice', vector.scannableBob]];
  for (const [localName, remoteName, scannable] of views) {
    const local = vector[localName];
    const remote = vector[remoteName];
    const privateKey = S.PrivateKey.deserialize(hex(vector.parties[localName].identityKey.private));
    if (toHex(privateKey.getPublicKey().serialize()) !== local.identityKey) {
      throw new ReplayError(`${localName}'s identity key does not match its private key`);
    }
    const fingerprint = S.Fingerprint.new(vector.iterations, vector.scannableVersion,
      hex(local.stableIdentifier), S.PublicKey.deserialize(hex(local.identityKey)),
      hex(remote.stableIdentifier), S.PublicKey.deserialize(hex(remote.identityKey)));
    const displayable = fingerprint.displayableFingerprint().toString();
    if (displayable !== vector.displayable) {
      throw new ReplayError(`${localName}'s displayable safety number from libsignal is ${displayable}, the vector says ${vector.displayable}`);
    }
    const scanned = toHex(fingerprint.scannableFingerprint().toBuffer());
    if (scanned !== scannable) {
      throw new ReplayError(`${localName}'s scannable fingerprint from libsignal is ${scanned}, the vector says ${scannable}`);
    }
  }
  return { replayedBy: 'alice,bob', decrypted: 0, of: 0, notReplayable: 0, fingerprintsCompared: 2 };
}

// Sealed sender: libsignal checks both certificates against the vector's trust root, splits the v2 upload as the
// server would (byte for byte against the recorded split), opens every envelope to the recorded USMC bytes and
// decrypts every message as Bob (open, validate at the recorded time, self-send check, inner PreKey message).
async function replaySealedSender(vector) {
  const server = vector.parties.server;
  const trustRootPrivate = S.PrivateKey.deserialize(hex(server.trustRoot.private));
  if (toHex(trustRootPrivate.getPublicKey().serialize()) !== server.trustRoot.public) {
    throw new ReplayError('trust root public key does not match its private key');
  }
  const trustRoot = S.PublicKey.deserialize(hex(server.trustRoot.public));
  const sent = sentMessages(vector);
  const receiverName = 'bob';
  const bob = vector.parties[receiverName];
  const stores = await receiverStores(bob);
  const deliveries = new Map();
  let decrypted = 0;
  let certificatesValidated = 0;
  let splitsCompared = 0;
  for (const step of vector.steps) {
    if (step.action === 'create_server_certificate') {
      const certificate = S.ServerCertificate.deserialize(hex(step.serverCertificate));
      if (!trustRoot.verify(certificate.certificateData(), certificate.signature())) {
        throw new ReplayError(`step ${step.step}: the trust root did not sign the server certificate`);
      }
      certificatesValidated++;
    } else if (step.action === 'create_sender_certificate') {
      const certificate = S.SenderCertificate.deserialize(hex(step.senderCertificate));
      const time = Date.parse(vector.time);
      if (!certificate.validate(trustRoot, time)) {
        throw new ReplayError(`step ${step.step}: libsignal does not validate the sender certificate at ${vector.time}`);
      }
      certificatesValidated++;
    } else if (step.action === 'server_split') {
      const parsed = new SealedSenderMultiRecipientMessage(hex(sent.get(step.messageId).message));
      const byId = parsed.recipientsByServiceIdString();
      for (const r of step.recipients) {
        const recipient = byId[r.serviceId];
        if (recipient === undefined) throw new ReplayError(`step ${step.step}: libsignal's split has no ${r.serviceId}`);
        const message = toHex(parsed.messageForRecipient(recipient));
        if (message !== r.message) throw new ReplayError(`step ${step.step}: libsignal's split for ${r.serviceId} differs from the vector`);
        if (JSON.stringify([...recipient.deviceIds]) !== JSON.stringify(r.deviceIds)
          || JSON.stringify([...recipient.registrationIds]) !== JSON.stringify(r.registrationIds)) {
          throw new ReplayError(`step ${step.step}: libsignal's device list for ${r.serviceId} differs from the vector`);
        }
        deliveries.set(`${step.messageId}/${r.serviceId}`, message);
      }
      if (JSON.stringify([...parsed.excludedRecipientServiceIdStrings()]) !== JSON.stringify(step.excludedRecipients)) {
        throw new ReplayError(`step ${step.step}: libsignal's excluded recipients differ from the vector`);
      }
      splitsCompared++;
    } else if (step.action === 'sealed_decrypt' && step.party === receiverName) {
      const encrypted = sent.get(step.messageId);
      const envelope = hex(encrypted.version === 2 ? deliveries.get(`${step.messageId}/${bob.address.name}`) : encrypted.message);
      let result;
      try {
        const usmc = await S.sealedSenderDecryptToUsmc(envelope, stores.identity);
        if (toHex(usmc.serialize()) !== encrypted.usmc.bytes) {
          throw new ReplayError(`step ${step.step} (${step.messageId}): libsignal opened the envelope to other USMC bytes than the vector's`);
        }
        result = await S.sealedSenderDecryptMessage(envelope, trustRoot, step.validationTime, null, bob.address.name,
          bob.address.deviceId, stores.session, stores.identity, stores.preKey, stores.signedPreKey, stores.kyberPreKey);
      } catch (e) {
        if (e instanceof ReplayError) throw e;
        throw new ReplayError(`step ${step.step} (${step.messageId}): libsignal failed: ${e.message}`);
      }
      if (toHex(result.message()) !== step.plaintext) {
        throw new ReplayError(`step ${step.step} (${step.messageId}): libsignal decrypted ${toHex(result.message())}, the vector says ${step.plaintext}`);
      }
      if (result.senderUuid() !== step.sender.uuid || result.deviceId() !== step.sender.deviceId || result.senderE164() !== step.sender.e164) {
        throw new ReplayError(`step ${step.step} (${step.messageId}): libsignal revealed another sender than the vector's`);
      }
      decrypted++;
    }
  }
  const of = vector.steps.filter((s) => s.action === 'sealed_decrypt').length;
  return { replayedBy: receiverName, decrypted, of, notReplayable: of - decrypted, certificatesValidated, splitsCompared };
}

const replays = { session: replaySession, group: replayGroup, safety_number: replaySafetyNumber, sealed_sender: replaySealedSender };

function vectorFiles(args) {
  const targets = args.length > 0 ? args : [path.join(here, '..', '..', 'docs', 'test-vectors')];
  return targets.flatMap((t) => fs.statSync(t).isDirectory()
    ? fs.readdirSync(t).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(t, f))
    : [t]);
}

let failed = false;
for (const file of vectorFiles(process.argv.slice(2))) {
  const vector = JSON.parse(fs.readFileSync(file, 'utf8'));
  const replay = replays[vector.kind];
  if (!replay) {
    process.stderr.write(`${path.basename(file)}: unknown vector kind ${vector.kind}\n`);
    failed = true;
    continue;
  }
  try {
    const result = await replay(vector);
    process.stdout.write(JSON.stringify({ file: path.basename(file), kind: vector.kind, ...result }) + '\n');
  } catch (e) {
    process.stderr.write(`${path.basename(file)}: ${e instanceof ReplayError ? e.message : e.stack}\n`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
