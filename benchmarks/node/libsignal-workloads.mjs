// The libsignal side of benchmarks/compare: the same workloads as SignalSharp's CompareBenchmarks, run on
// the official libsignal 0.103 (npm @signalapp/libsignal-client, loaded from tests/node/node_modules) with
// in-memory stores that keep libsignal's native record objects (the "obj" stores of
// /work/shared/research/performance-anchors.md, libsignal's fastest in-memory setup).
//
// A JSON-lines server so the compare host can interleave rounds with SignalSharp's:
//   request  {"scenario": "<name>", "ops": <per chunk>, "chunks": <count>, "warmup": <ops>}
//   response {"scenario": ..., "chunkNanoseconds": [...], "meanNanosecondsPerOp": <n>, "medianNanosecondsPerOp": <n>}
// Each chunk times `ops` operations with process.hrtime (wall clock, as BenchmarkDotNet does). Work a
// scenario needs before it can be timed (messages to decrypt) is done before each chunk, outside the timing.
// No collection is forced anywhere: V8's collections (and the native finalizers they run) land in whichever
// chunk they fall, and the mean over all chunks counts them, as SignalSharp's side counts its own.
// Scenarios: setup, encrypt64, encrypt1k, decrypt64, decrypt1k, roundtrip, groupEncrypt64, groupEncrypt1k,
// groupDecrypt64, groupDecrypt1k, safetyNumber, and the sealed sender ones of libsignal-sealed-workloads.mjs. Usage: node benchmarks/node/libsignal-workloads.mjs
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import readline from 'node:readline';
import { sealedScenarios } from './libsignal-sealed-workloads.mjs';
import { groupScenarios } from './libsignal-group-workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/node/package.json'));
const S = require('@signalapp/libsignal-client');

const addrKey = (address) => `${address.name()}.${address.deviceId()}`;

class IdentityStore extends S.IdentityKeyStore {
  constructor(identityKeyPair, registrationId) {
    super();
    this.identityKeyPair = identityKeyPair;
    this.registrationId = registrationId;
    this.identities = new Map();
  }
  async getIdentityKey() {
    return this.identityKeyPair.privateKey;
  }
  async getIdentityKeyPair() {
    return this.identityKeyPair;
  }
  async getLocalRegistrationId() {
    return this.registrationId;
  }
  async saveIdentity(address, key) {
    const name = address.name();
    const existing = this.identities.get(name);
    this.identities.set(name, key);
    return existing !== undefined && !existing.equals(key) ? S.IdentityChange.ReplacedExisting : S.IdentityChange.NewOrUnchanged;
  }
  async isTrustedIdentity(address, key) {
    const existing = this.identities.get(address.name());
    return existing === undefined || existing.equals(key);
  }
  async getIdentity(address) {
    return this.identities.get(address.name()) ?? null;
  }
}

class SessionStore extends S.SessionStore {
  constructor() {
    super();
    this.sessions = new Map();
  }
  async saveSession(address, record) {
    this.sessions.set(addrKey(address), record);
  }
  async getSession(address) {
    return this.sessions.get(addrKey(address)) ?? null;
  }
  async getExistingSessions(addresses) {
    return addresses.map((a) => this.sessions.get(addrKey(a)));
  }
}

class PreKeyStore extends S.PreKeyStore {
  constructor() {
    super();
    this.keys = new Map();
  }
  async savePreKey(id, record) {
    this.keys.set(id, record);
  }
  async getPreKey(id) {
    return this.keys.get(id);
  }
  async removePreKey(id) {
    this.keys.delete(id);
  }
}

class SignedPreKeyStore extends S.SignedPreKeyStore {
  constructor() {
    super();
    this.keys = new Map();
  }
  async saveSignedPreKey(id, record) {
    this.keys.set(id, record);
  }
  async getSignedPreKey(id) {
    return this.keys.get(id);
  }
}

/** Last-resort Kyber keys: kept after use, a repeated (kyberId, signedId, base key) is refused, as in SignalSharp's store. */
class KyberPreKeyStore extends S.KyberPreKeyStore {
  constructor() {
    super();
    this.keys = new Map();
    this.used = new Set();
  }
  async saveKyberPreKey(id, record) {
    this.keys.set(id, record);
  }
  async getKyberPreKey(id) {
    return this.keys.get(id);
  }
  async markKyberPreKeyUsed(id, signedPreKeyId, baseKey) {
    const triple = `${id}:${signedPreKeyId}:${Buffer.from(baseKey.serialize()).toString('hex')}`;
    if (this.used.has(triple)) throw new Error('last-resort Kyber pre-key reused with the same base key');
    this.used.add(triple);
  }
}

class SenderKeyStore extends S.SenderKeyStore {
  constructor() {
    super();
    this.keys = new Map();
  }
  async saveSenderKey(sender, distributionId, record) {
    this.keys.set(`${addrKey(sender)}/${distributionId}`, record);
  }
  async getSenderKey(sender, distributionId) {
    return this.keys.get(`${addrKey(sender)}/${distributionId}`) ?? null;
  }
}

const aliceAddress = S.ProtocolAddress.new('alice', 1);
const bobAddress = S.ProtocolAddress.new('bob', 1);
const plaintext64 = new Uint8Array(64);
const plaintext1k = new Uint8Array(1024);
const distributionId = '0f0f0f0f-0000-4000-8000-000000000000';

const aliceIdentity = S.IdentityKeyPair.generate();
const bobIdentity = S.IdentityKeyPair.generate();
const bob = {
  identityStore: new IdentityStore(bobIdentity, 2),
  preKeys: new PreKeyStore(),
  signedPreKeys: new SignedPreKeyStore(),
  kyberPreKeys: new KyberPreKeyStore(),
};

// Bob publishes a signed pre-key and a last-resort Kyber1024 pre-key, no one-time EC pre-key (as SignalSharp's side).
const signedPrivate = S.PrivateKey.generate();
const signedPublic = signedPrivate.getPublicKey();
const signedSignature = bobIdentity.privateKey.sign(signedPublic.serialize());
await bob.signedPreKeys.saveSignedPreKey(1, S.SignedPreKeyRecord.new(1, Date.now(), signedPublic, signedPrivate, signedSignature));
const kem = S.KEMKeyPair.generate();
const kyberSignature = bobIdentity.privateKey.sign(kem.getPublicKey().serialize());
await bob.kyberPreKeys.saveKyberPreKey(1, S.KyberPreKeyRecord.new(1, Date.now(), kem, kyberSignature));
const bundle = S.PreKeyBundle.new(2, 1, null, null, 1, signedPublic, signedSignature, bobIdentity.publicKey, 1, kem.getPublicKey(), kyberSignature);

async function setupOnce() {
  const aliceSessions = new SessionStore();
  const aliceIdentities = new IdentityStore(aliceIdentity, 1);
  await S.processPreKeyBundle(bundle, bobAddress, aliceAddress, aliceSessions, aliceIdentities);
  const first = await S.signalEncrypt(plaintext64, bobAddress, aliceAddress, aliceSessions, aliceIdentities);
  const message = S.PreKeySignalMessage.deserialize(first.serialize());
  return S.signalDecryptPreKey(message, aliceAddress, bobAddress, new SessionStore(), bob.identityStore, bob.preKeys, bob.signedPreKeys, bob.kyberPreKeys);
}

/** An answered session plus one more message on Alice's chain that Bob has read (steady one-way traffic). */
async function establish() {
  const alice = { sessions: new SessionStore(), identities: new IdentityStore(aliceIdentity, 1) };
  const bobSide = { sessions: new SessionStore(), identities: bob.identityStore };
  await S.processPreKeyBundle(bundle, bobAddress, aliceAddress, alice.sessions, alice.identities);
  const first = await S.signalEncrypt(plaintext64, bobAddress, aliceAddress, alice.sessions, alice.identities);
  await S.signalDecryptPreKey(S.PreKeySignalMessage.deserialize(first.serialize()), aliceAddress, bobAddress, bobSide.sessions, bobSide.identities, bob.preKeys, bob.signedPreKeys, bob.kyberPreKeys);
  const reply = await S.signalEncrypt(plaintext64, aliceAddress, bobAddress, bobSide.sessions, bobSide.identities);
  await S.signalDecrypt(S.SignalMessage.deserialize(reply.serialize()), bobAddress, aliceAddress, alice.sessions, alice.identities);
  const more = await S.signalEncrypt(plaintext64, bobAddress, aliceAddress, alice.sessions, alice.identities);
  await S.signalDecrypt(S.SignalMessage.deserialize(more.serialize()), aliceAddress, bobAddress, bobSide.sessions, bobSide.identities);
  return {
    aliceEncrypt: (p) => S.signalEncrypt(p, bobAddress, aliceAddress, alice.sessions, alice.identities),
    bobEncrypt: (p) => S.signalEncrypt(p, aliceAddress, bobAddress, bobSide.sessions, bobSide.identities),
    bobDecrypt: (m) => S.signalDecrypt(m, aliceAddress, bobAddress, bobSide.sessions, bobSide.identities),
    aliceDecrypt: (m) => S.signalDecrypt(m, bobAddress, aliceAddress, alice.sessions, alice.identities),
  };
}

async function groupPair() {
  const senderStore = new SenderKeyStore();
  const receiverStore = new SenderKeyStore();
  const skdm = await S.SenderKeyDistributionMessage.create(aliceAddress, distributionId, senderStore);
  await S.processSenderKeyDistributionMessage(aliceAddress, S.SenderKeyDistributionMessage.deserialize(skdm.serialize()), receiverStore);
  return {
    encrypt: (p) => S.groupEncrypt(aliceAddress, distributionId, senderStore, p),
    decrypt: (bytes) => S.groupDecrypt(aliceAddress, receiverStore, bytes),
  };
}

/** A scenario: optional untimed preparation of `n` inputs, then the timed operation on input i. */
function oneWayEncrypt(p) {
  let session = null;
  return {
    async init() {
      session = await establish();
    },
    op: () => session.aliceEncrypt(p),
  };
}

function oneWayDecrypt(p) {
  let session = null;
  let inputs = [];
  return {
    async init() {
      session = await establish();
    },
    async prepare(n) {
      inputs = [];
      for (let i = 0; i < n; i++) {
        // Parsing the received bytes is part of receiving on both sides.
        inputs.push((await session.aliceEncrypt(p)).serialize());
      }
    },
    op: (i) => session.bobDecrypt(S.SignalMessage.deserialize(inputs[i])),
  };
}

function groupEncrypt(p) {
  let pair = null;
  return {
    async init() {
      pair = await groupPair();
    },
    op: async () => (await pair.encrypt(p)).serialize(),
  };
}

function groupDecrypt(p) {
  let pair = null;
  let inputs = [];
  return {
    async init() {
      pair = await groupPair();
    },
    async prepare(n) {
      inputs = [];
      for (let i = 0; i < n; i++) inputs.push((await pair.encrypt(p)).serialize());
    },
    op: (i) => pair.decrypt(inputs[i]),
  };
}

const localId = new TextEncoder().encode('+14152222222');
const remoteId = new TextEncoder().encode('+14153333333');

const scenarios = {
  setup: { op: setupOnce },
  encrypt64: oneWayEncrypt(plaintext64),
  encrypt1k: oneWayEncrypt(plaintext1k),
  decrypt64: oneWayDecrypt(plaintext64),
  decrypt1k: oneWayDecrypt(plaintext1k),
  roundtrip: (() => {
    let session = null;
    return {
      async init() {
        session = await establish();
      },
      async op() {
        const ab = await session.aliceEncrypt(plaintext64);
        await session.bobDecrypt(S.SignalMessage.deserialize(ab.serialize()));
        const ba = await session.bobEncrypt(plaintext64);
        return session.aliceDecrypt(S.SignalMessage.deserialize(ba.serialize()));
      },
    };
  })(),
  groupEncrypt64: groupEncrypt(plaintext64),
  groupEncrypt1k: groupEncrypt(plaintext1k),
  groupDecrypt64: groupDecrypt(plaintext64),
  groupDecrypt1k: groupDecrypt(plaintext1k),
  safetyNumber: {
    op: () =>
      S.Fingerprint.new(5200, 2, localId, aliceIdentity.publicKey, remoteId, bobIdentity.publicKey).displayableFingerprint().toString(),
  },
};

// Sealed sender scenarios (libsignal-sealed-workloads.mjs).
Object.assign(scenarios, sealedScenarios(S, {
  IdentityStore, SessionStore, PreKeyStore, SignedPreKeyStore, KyberPreKeyStore, SenderKeyStore, plaintext64, distributionId,
}));

// Large-group scenarios (libsignal-group-workloads.mjs).
Object.assign(scenarios, groupScenarios(S, { IdentityStore, SessionStore, SenderKeyStore, plaintext64, distributionId }));

const initialized = new Set();

async function timeChunk(scenario, ops) {
  if (scenario.prepare) await scenario.prepare(ops);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await scenario.op(i);
  return Number(process.hrtime.bigint() - t0);
}

async function run(request) {
  const scenario = scenarios[request.scenario];
  if (!scenario) throw new Error(`unknown scenario ${request.scenario}`);
  if (!initialized.has(request.scenario)) {
    if (scenario.init) await scenario.init();
    initialized.add(request.scenario);
  }
  const ops = request.ops;
  if (request.warmup > 0) await timeChunk(scenario, request.warmup);
  const chunks = [];
  for (let c = 0; c < request.chunks; c++) chunks.push(await timeChunk(scenario, ops));
  const sorted = [...chunks].sort((a, b) => a - b);
  const total = chunks.reduce((a, b) => a + b, 0);
  return {
    scenario: request.scenario,
    chunkNanoseconds: chunks,
    // Sustained: every timed operation over all timed time, garbage collection included wherever it fell.
    meanNanosecondsPerOp: total / (ops * chunks.length),
    medianNanosecondsPerOp: sorted[Math.floor(sorted.length / 2)] / ops,
  };
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === '') continue;
  try {
    process.stdout.write(`${JSON.stringify(await run(JSON.parse(line)))}\n`);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ error: String(err?.stack ?? err) })}\n`);
  }
}
