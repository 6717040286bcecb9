// JSON-lines reference peer for SignalSharp's curve tests: one JSON request per line on stdin, one response per
// line on stdout. Binaries are base64. Every op works on a batch ("items") so a test needs few round trips.
//
// ops:
//   generate {count}                         -> {keys: [{priv, pub}]}            (pub = 33-byte serialization)
//   sign {items: [{priv, msg}]}              -> {sigs: [b64]}
//   verify {items: [{pub, msg, sig}]}        -> {results: [bool]}                  (pub = 33 bytes)
//   agree {items: [{priv, pub}]}             -> {results: [{ok, shared?, error?}]}
//   pubFromPriv {items: [priv]}              -> {results: [{ok, pub?, error?}]}
//   deserializePublic {items: [b64]}         -> {results: [{ok, pub?, error?}]}     (pub re-serialized)
//   deserializePrivate {items: [b64]}        -> {results: [{ok, priv?, pub?, error?}]}
//   deserializeIdentityKeyPair {items: [b64]} -> {results: [{ok, pub?, priv?, serialized?, error?}]}
//   generateIdentityKeyPair {count}          -> {pairs: [b64]}
//   makeSignedPreKeyRecord {items: [{identity, id, timestamp}]} -> {records: [b64]}   (libsignal SignedPreKeyRecord)
//   makeKyberPreKeyRecord {items: [{identity, id, timestamp}]}  -> {records: [b64]}   (libsignal KyberPreKeyRecord, Kyber1024)
//   parseSignedPreKeyRecord / parseKyberPreKeyRecord {items: [{record, identityPublic}]}
//        -> {results: [{ok, id?, timestamp?, pub?, priv?, signatureValid?, error?}]}
import * as readline from 'node:readline';
import {
  PrivateKey, PublicKey, IdentityKeyPair, KEMKeyPair, SignedPreKeyRecord, KyberPreKeyRecord,
} from '@signalapp/libsignal-client';

const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const bin = (s) => new Uint8Array(Buffer.from(s, 'base64'));

function attempt(f) {
  try {
    return { ok: true, ...f() };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message : e) };
  }
}

const ops = {
  generate: ({ count }) => ({
    keys: Array.from({ length: count }, () => {
      const k = PrivateKey.generate();
      return { priv: b64(k.serialize()), pub: b64(k.getPublicKey().serialize()) };
    }),
  }),
  sign: ({ items }) => ({ sigs: items.map(({ priv, msg }) => b64(PrivateKey.deserialize(bin(priv)).sign(bin(msg)))) }),
  verify: ({ items }) => ({ results: items.map(({ pub, msg, sig }) => PublicKey.deserialize(bin(pub)).verify(bin(msg), bin(sig))) }),
  agree: ({ items }) => ({
    results: items.map(({ priv, pub }) => attempt(() => ({ shared: b64(PrivateKey.deserialize(bin(priv)).agree(PublicKey.deserialize(bin(pub)))) }))),
  }),
  pubFromPriv: ({ items }) => ({
    results: items.map((priv) => attempt(() => ({ pub: b64(PrivateKey.deserialize(bin(priv)).getPublicKey().serialize()) }))),
  }),
  deserializePublic: ({ items }) => ({
    results: items.map((s) => attempt(() => ({ pub: b64(PublicKey.deserialize(bin(s)).serialize()) }))),
  }),
  deserializePrivate: ({ items }) => ({
    results: items.map((s) => attempt(() => {
      const k = PrivateKey.deserialize(bin(s));
      return { priv: b64(k.serialize()), pub: b64(k.getPublicKey().serialize()) };
    })),
  }),
  deserializeIdentityKeyPair: ({ items }) => ({
    results: items.map((s) => attempt(() => {
      const p = IdentityKeyPair.deserialize(bin(s));
      return { pub: b64(p.publicKey.serialize()), priv: b64(p.privateKey.serialize()), serialized: b64(p.serialize()) };
    })),
  }),
  generateIdentityKeyPair: ({ count }) => ({
    pairs: Array.from({ length: count }, () => b64(IdentityKeyPair.generate().serialize())),
  }),
  makeSignedPreKeyRecord: ({ items }) => ({
    records: items.map(({ identity, id, timestamp }) => {
      const idPair = IdentityKeyPair.deserialize(bin(identity));
      const key = PrivateKey.generate();
      const sig = idPair.privateKey.sign(key.getPublicKey().serialize());
      return b64(SignedPreKeyRecord.new(id, timestamp, key.getPublicKey(), key, sig).serialize());
    }),
  }),
  makeKyberPreKeyRecord: ({ items }) => ({
    records: items.map(({ identity, id, timestamp }) => {
      const idPair = IdentityKeyPair.deserialize(bin(identity));
      const kem = KEMKeyPair.generate();
      const sig = idPair.privateKey.sign(kem.getPublicKey().serialize());
      return b64(KyberPreKeyRecord.new(id, timestamp, kem, sig).serialize());
    }),
  }),
  parseSignedPreKeyRecord: ({ items }) => ({
    results: items.map(({ record, identityPublic }) => attempt(() => {
      const r = SignedPreKeyRecord.deserialize(bin(record));
      const pub = r.publicKey().serialize();
      return {
        id: r.id(), timestamp: r.timestamp(), pub: b64(pub), priv: b64(r.privateKey().serialize()),
        signatureValid: PublicKey.deserialize(bin(identityPublic)).verify(pub, r.signature()),
      };
    })),
  }),
  parseKyberPreKeyRecord: ({ items }) => ({
    results: items.map(({ record, identityPublic }) => attempt(() => {
      const r = KyberPreKeyRecord.deserialize(bin(record));
      const pub = r.publicKey().serialize();
      return {
        id: r.id(), timestamp: r.timestamp(), pub: b64(pub), priv: b64(r.secretKey().serialize()),
        signatureValid: PublicKey.deserialize(bin(identityPublic)).verify(pub, r.signature()),
      };
    })),
  }),
};

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on('line', (line) => {
  if (!line.trim()) return;
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, error: 'bad json: ' + e.message }) + '\n');
    return;
  }
  const op = ops[request.op];
  let response;
  if (!op) {
    response = { id: request.id, ok: false, error: 'unknown op ' + request.op };
  } else {
    try {
      response = { id: request.id, ok: true, ...op(request) };
    } catch (e) {
      response = { id: request.id, ok: false, error: String(e && e.stack ? e.stack : e) };
    }
  }
  process.stdout.write(JSON.stringify(response) + '\n');
});
