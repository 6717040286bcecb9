// Kyber round-3 reference peer for SignalSharp's lattice tests. JSON lines on stdin/stdout (base64 bytes),
// one response per request, logs on stderr only. Two independent implementations answer:
//   * npm crystals-kyber 5.1.0 (pure JS round-3 Kyber1024; raw keys: pk 1568, sk 3168 = cpa-sk ‖ pk ‖ H(pk) ‖ z,
//     ct 1568), requests batched so that 100 operations cost one round trip;
//   * libsignal 0.103 (KEMKeyPair / KEMPublicKey / KEMSecretKey with the 0x08 type byte). Its JS API has no raw
//     encapsulation, so "libsignal_encapsulate" makes libsignal's PQXDH encapsulate to a given Kyber pre-key and
//     returns the type-prefixed ciphertext it put into the PreKeySignalMessage (field 8).
//
// Requests:
//   {"op":"kyber_keygen","count":n}                           -> {"keys":[{"publicKey","secretKey"}]}
//   {"op":"kyber_encapsulate","publicKeys":[pk…]}              -> {"results":[{"ciphertext","sharedSecret"}]}
//   {"op":"kyber_decapsulate","items":[{"secretKey","ciphertext"}]} -> {"sharedSecrets":[…]}
//   {"op":"libsignal_keygen","count":n}                        -> {"keys":[{"publicKey","secretKey"}]} (type-prefixed)
//   {"op":"libsignal_reserialize","publicKey"?,"secretKey"?}   -> the same fields after deserialize+serialize
//   {"op":"libsignal_encapsulate","kyberPreKey"}               -> {"ciphertext"} (type-prefixed)

import readline from 'node:readline';
import { createRequire } from 'node:module';
import * as S from '@signalapp/libsignal-client';

const require = createRequire(import.meta.url);
const kyber = require('crystals-kyber');

const b64 = (value) => Buffer.from(value, 'base64');
const out = (bytes) => Buffer.from(bytes).toString('base64');

class MemorySessionStore extends S.SessionStore {
  sessions = new Map();
  async saveSession(address, record) { this.sessions.set(address.toString(), Buffer.from(record.serialize())); }
  async getSession(address) {
    const bytes = this.sessions.get(address.toString());
    return bytes === undefined ? null : S.SessionRecord.deserialize(bytes);
  }
  async getExistingSessions(addresses) { return Promise.all(addresses.map((a) => this.getSession(a))); }
}

class TrustingIdentityStore extends S.IdentityKeyStore {
  constructor(identityKeyPair) { super(); this.identityKeyPair = identityKeyPair; }
  async getIdentityKey() { return this.identityKeyPair.privateKey; }
  async getIdentityKeyPair() { return this.identityKeyPair; }
  async getLocalRegistrationId() { return 1234; }
  async saveIdentity() { return S.IdentityChange.NewOrUnchanged; }
  async isTrustedIdentity() { return true; }
  async getIdentity() { return null; }
}

/** Returns the bytes of the first length-delimited protobuf field `wanted` (no nested parsing needed). */
function protobufField(bytes, wanted) {
  let i = 0;
  const varint = () => {
    let value = 0, shift = 0, b;
    do { b = bytes[i++]; value += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return value;
  };
  while (i < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8), wire = key & 7;
    if (wire === 0) { varint(); }
    else if (wire === 2) {
      const length = varint();
      if (field === wanted) return bytes.subarray(i, i + length);
      i += length;
    } else if (wire === 1) { i += 8; }
    else if (wire === 5) { i += 4; }
    else throw new Error(`unsupported wire type ${wire}`);
  }
  throw new Error(`field ${wanted} not found`);
}

async function libsignalEncapsulate(kyberPreKeyBytes) {
  const bobIdentity = S.IdentityKeyPair.generate();
  const signedPreKey = S.PrivateKey.generate();
  const kyberPreKey = S.KEMPublicKey.deserialize(kyberPreKeyBytes);
  const bundle = S.PreKeyBundle.new(
    1234, 1, null, null,
    7, signedPreKey.getPublicKey(), bobIdentity.privateKey.sign(signedPreKey.getPublicKey().serialize()),
    bobIdentity.publicKey,
    9, kyberPreKey, bobIdentity.privateKey.sign(kyberPreKey.serialize()),
  );
  const alice = S.ProtocolAddress.new('alice', 1);
  const bob = S.ProtocolAddress.new('bob', 1);
  const sessions = new MemorySessionStore();
  const identities = new TrustingIdentityStore(S.IdentityKeyPair.generate());
  await S.processPreKeyBundle(bundle, bob, alice, sessions, identities);
  const message = await S.signalEncrypt(Buffer.from('kem'), bob, alice, sessions, identities);
  if (message.type() !== S.CiphertextMessageType.PreKey) throw new Error('expected a PreKeySignalMessage');
  // Serialized PreKeySignalMessage = version byte ‖ protobuf; field 8 = kyber_ciphertext.
  return protobufField(message.serialize().subarray(1), 8);
}

const handlers = {
  kyber_keygen(req) {
    const keys = [];
    for (let i = 0; i < req.count; i++) {
      const [pk, sk] = kyber.KeyGen1024();
      keys.push({ publicKey: out(pk), secretKey: out(sk) });
    }
    return { keys };
  },
  kyber_encapsulate(req) {
    return {
      results: req.publicKeys.map((pk) => {
        const [c, ss] = kyber.Encrypt1024(Array.from(b64(pk)));
        return { ciphertext: out(c), sharedSecret: out(ss) };
      }),
    };
  },
  kyber_decapsulate(req) {
    return {
      sharedSecrets: req.items.map(({ secretKey, ciphertext }) =>
        out(kyber.Decrypt1024(Array.from(b64(ciphertext)), Array.from(b64(secretKey))))),
    };
  },
  libsignal_keygen(req) {
    const keys = [];
    for (let i = 0; i < req.count; i++) {
      const pair = S.KEMKeyPair.generate();
      keys.push({ publicKey: out(pair.getPublicKey().serialize()), secretKey: out(pair.getSecretKey().serialize()) });
    }
    return { keys };
  },
  libsignal_reserialize(req) {
    const result = {};
    if (req.publicKey !== undefined) result.publicKey = out(S.KEMPublicKey.deserialize(b64(req.publicKey)).serialize());
    if (req.secretKey !== undefined) result.secretKey = out(S.KEMSecretKey.deserialize(b64(req.secretKey)).serialize());
    return result;
  },
  async libsignal_encapsulate(req) {
    return { ciphertext: out(await libsignalEncapsulate(b64(req.kyberPreKey))) };
  },
};

const lines = readline.createInterface({ input: process.stdin, terminal: false });
for await (const line of lines) {
  if (line.trim() === '') continue;
  let req;
  try {
    req = JSON.parse(line);
  } catch (error) {
    process.stdout.write(JSON.stringify({ ok: false, error: 'BadRequest', message: String(error) }) + '\n');
    continue;
  }
  try {
    const handler = handlers[req.op];
    if (!handler) throw new Error(`unknown op ${req.op}`);
    const result = await handler(req);
    process.stdout.write(JSON.stringify({ id: req.id, ok: true, ...result }) + '\n');
  } catch (error) {
    process.stderr.write(`[kyber.mjs] ${req.op}: ${error?.stack ?? error}\n`);
    process.stdout.write(JSON.stringify({ id: req.id, ok: false, error: 'Internal', message: String(error?.message ?? error) }) + '\n');
  }
}
