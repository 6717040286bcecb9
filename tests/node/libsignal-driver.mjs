// Interop driver (protocol v2, see docs/interop.md) over the official libsignal 0.103 (npm
// @signalapp/libsignal-client), used as a black-box reference peer. Reads one JSON request per line on
// stdin, writes one JSON response per line on stdout, logs to stderr only.
//
// Everything here goes through libsignal's public JS API; the stores are our own in-memory maps that keep
// records as their serialized bytes. Every store mutation is journaled so that a failed request can be
// rolled back: "a failed request changes no state" holds even when libsignal fails after a store call.
//
// Driver-specific extensions (optional arguments; other drivers may ignore them):
//   bundle.kyberLastResort (bool, default false): store the Kyber pre-key as a last-resort key (kept after
//     use; a repeated (kyberId, signedPreKeyId, baseKey) triple is rejected) instead of a one-time key
//     (deleted when libsignal marks it used).
//   fingerprint.localIdentityKey (base64): compute with this local identity key instead of the client's
//     own one (lets known-answer vectors with fixed keys run through a driver).

import readline from 'node:readline';
import * as S from '@signalapp/libsignal-client';
import { sealedOps } from './libsignal-driver-sealed.mjs';

const log = (...parts) => process.stderr.write(`[libsignal-driver] ${parts.join(' ')}\n`);

// Routing libsignal's own log lines to stderr shows the real cause behind "decryption failed".
const logLevel = { error: S.LogLevel.Error, warn: S.LogLevel.Warn, info: S.LogLevel.Info, debug: S.LogLevel.Debug }[
  (process.env.LIBSIGNAL_DRIVER_LOG ?? 'warn').toLowerCase()
] ?? S.LogLevel.Warn;
S.initLogger(logLevel, (level, target, file, line, message) => {
  process.stderr.write(`[libsignal ${S.LogLevel[level] ?? level}] ${target}: ${message}\n`);
});

/** A failure with a driver error kind. */
class DriverError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

const badRequest = (message) => new DriverError('BadRequest', message);

// ---------------------------------------------------------------------------------------------------------
// Journal: undo log for every store mutation made during one request.

class Journal {
  constructor() {
    this.entries = null;
  }

  begin() {
    this.entries = [];
  }

  commit() {
    this.entries = null;
  }

  rollback() {
    const entries = this.entries ?? [];
    this.entries = null;
    for (let i = entries.length - 1; i >= 0; i--) {
      const { map, key, had, old } = entries[i];
      if (had) {
        map.set(key, old);
      } else {
        map.delete(key);
      }
    }
  }

  set(map, key, value) {
    this.#record(map, key);
    map.set(key, value);
  }

  delete(map, key) {
    this.#record(map, key);
    map.delete(key);
  }

  #record(map, key) {
    if (this.entries) {
      this.entries.push({ map, key, had: map.has(key), old: map.get(key) });
    }
  }
}

const journal = new Journal();

// ---------------------------------------------------------------------------------------------------------
// Stores (subclasses of libsignal's abstract store classes).

const addrKey = (address) => `${address.name()}.${address.deviceId()}`;

/** Trust on first use, keyed by the user's *name* (so linked devices of one user share the decision). */
class TofuIdentityStore extends S.IdentityKeyStore {
  constructor(identityKeyPair, registrationId) {
    super();
    this.identityKeyPair = identityKeyPair;
    this.registrationId = registrationId;
    this.identities = new Map(); // name -> serialized public key (Buffer)
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
    const serialized = Buffer.from(key.serialize());
    const existing = this.identities.get(name);
    journal.set(this.identities, name, serialized);
    return existing !== undefined && !existing.equals(serialized)
      ? S.IdentityChange.ReplacedExisting
      : S.IdentityChange.NewOrUnchanged;
  }

  async isTrustedIdentity(address, key, _direction) {
    const existing = this.identities.get(address.name());
    return existing === undefined || existing.equals(Buffer.from(key.serialize()));
  }

  async getIdentity(address) {
    const existing = this.identities.get(address.name());
    return existing === undefined ? null : S.PublicKey.deserialize(existing);
  }

  trust(name, key) {
    journal.set(this.identities, name, Buffer.from(key.serialize()));
  }
}

class MemorySessionStore extends S.SessionStore {
  constructor() {
    super();
    this.sessions = new Map(); // "name.device" -> serialized SessionRecord
  }

  async saveSession(address, record) {
    journal.set(this.sessions, addrKey(address), Buffer.from(record.serialize()));
  }

  async getSession(address) {
    const bytes = this.sessions.get(addrKey(address));
    return bytes === undefined ? null : S.SessionRecord.deserialize(bytes);
  }

  async getExistingSessions(addresses) {
    return addresses.map((address) => {
      const bytes = this.sessions.get(addrKey(address));
      if (bytes === undefined) {
        throw new DriverError('NoSession', `no session for ${addrKey(address)}`);
      }
      return S.SessionRecord.deserialize(bytes);
    });
  }
}

class MemoryPreKeyStore extends S.PreKeyStore {
  constructor() {
    super();
    this.keys = new Map();
  }

  async savePreKey(id, record) {
    journal.set(this.keys, id, Buffer.from(record.serialize()));
  }

  async getPreKey(id) {
    const bytes = this.keys.get(id);
    if (bytes === undefined) {
      throw new DriverError('InvalidKeyId', `no one-time pre-key with id ${id}`);
    }
    return S.PreKeyRecord.deserialize(bytes);
  }

  async removePreKey(id) {
    journal.delete(this.keys, id);
  }
}

class MemorySignedPreKeyStore extends S.SignedPreKeyStore {
  constructor() {
    super();
    this.keys = new Map();
  }

  async saveSignedPreKey(id, record) {
    journal.set(this.keys, id, Buffer.from(record.serialize()));
  }

  async getSignedPreKey(id) {
    const bytes = this.keys.get(id);
    if (bytes === undefined) {
      throw new DriverError('InvalidKeyId', `no signed pre-key with id ${id}`);
    }
    return S.SignedPreKeyRecord.deserialize(bytes);
  }
}

/**
 * libsignal does not tell one-time from last-resort Kyber keys: a one-time key is deleted when marked used;
 * a last-resort key is kept, and a repeated (kyberId, signedPreKeyId, baseKey) triple is refused (replay).
 */
class MemoryKyberPreKeyStore extends S.KyberPreKeyStore {
  constructor() {
    super();
    this.keys = new Map(); // id -> { bytes, lastResort }
    this.usedTriples = new Map(); // "kyberId:signedId:baseKeyHex" -> true
  }

  async saveKyberPreKey(id, record) {
    journal.set(this.keys, id, { bytes: Buffer.from(record.serialize()), lastResort: false });
  }

  saveLastResort(id, record) {
    journal.set(this.keys, id, { bytes: Buffer.from(record.serialize()), lastResort: true });
  }

  async getKyberPreKey(id) {
    const entry = this.keys.get(id);
    if (entry === undefined) {
      throw new DriverError('InvalidKeyId', `no Kyber pre-key with id ${id}`);
    }
    return S.KyberPreKeyRecord.deserialize(entry.bytes);
  }

  async markKyberPreKeyUsed(id, signedPreKeyId, baseKey) {
    const entry = this.keys.get(id);
    if (entry === undefined) {
      throw new DriverError('InvalidKeyId', `no Kyber pre-key with id ${id}`);
    }
    if (!entry.lastResort) {
      journal.delete(this.keys, id);
      return;
    }
    const triple = `${id}:${signedPreKeyId}:${Buffer.from(baseKey.serialize()).toString('hex')}`;
    if (this.usedTriples.has(triple)) {
      throw new DriverError('InvalidMessage', `last-resort Kyber pre-key ${id} reused with the same base key`);
    }
    journal.set(this.usedTriples, triple, true);
  }
}

class MemorySenderKeyStore extends S.SenderKeyStore {
  constructor() {
    super();
    this.keys = new Map();
  }

  async saveSenderKey(sender, distributionId, record) {
    journal.set(this.keys, `${addrKey(sender)}/${distributionId}`, Buffer.from(record.serialize()));
  }

  async getSenderKey(sender, distributionId) {
    const bytes = this.keys.get(`${addrKey(sender)}/${distributionId}`);
    return bytes === undefined ? null : S.SenderKeyRecord.deserialize(bytes);
  }
}

class Client {
  constructor(name, device, identityKeyPair, registrationId) {
    this.name = name;
    this.device = device;
    this.address = S.ProtocolAddress.new(name, device);
    this.identityKeyPair = identityKeyPair;
    this.registrationId = registrationId;
    this.identityStore = new TofuIdentityStore(identityKeyPair, registrationId);
    this.sessionStore = new MemorySessionStore();
    this.preKeyStore = new MemoryPreKeyStore();
    this.signedPreKeyStore = new MemorySignedPreKeyStore();
    this.kyberPreKeyStore = new MemoryKyberPreKeyStore();
    this.senderKeyStore = new MemorySenderKeyStore();
    // Counters for ids the caller leaves out; only advanced by a successful `bundle`.
    this.nextSignedPreKeyId = 1;
    this.nextKyberPreKeyId = 1;
  }
}

const clients = new Map();

// ---------------------------------------------------------------------------------------------------------
// Argument parsing (all failures are BadRequest).

function requireField(req, field) {
  if (!(field in req) || req[field] === null || req[field] === undefined) {
    throw badRequest(`missing field "${field}"`);
  }
  return req[field];
}

function str(req, field) {
  const value = requireField(req, field);
  if (typeof value !== 'string') {
    throw badRequest(`"${field}" must be a string`);
  }
  return value;
}

function int(value, field, min, max) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`"${field}" must be an integer in ${min}..${max}`);
  }
  return value;
}

function optInt(req, field, min, max) {
  return req[field] === undefined || req[field] === null ? null : int(req[field], field, min, max);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function b64(value, field) {
  if (typeof value !== 'string' || !BASE64.test(value)) {
    throw badRequest(`"${field}" must be standard base64 with padding`);
  }
  return Buffer.from(value, 'base64');
}

const bytesField = (req, field) => b64(requireField(req, field), field);

function client(req) {
  const handle = str(req, 'client');
  const found = clients.get(handle);
  if (!found) {
    throw new DriverError('UnknownClient', `no client "${handle}"`);
  }
  return found;
}

function address(value, field) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(`"${field}" must be an address object`);
  }
  const name = str(value, 'name');
  const device = int(requireField(value, 'device'), `${field}.device`, 1, 127);
  return S.ProtocolAddress.new(name, device);
}

const addressField = (req, field) => address(requireField(req, field), field);

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function distributionId(req) {
  const id = str(req, 'distributionId');
  if (!UUID.test(id)) {
    throw badRequest('"distributionId" must be a UUID string');
  }
  return id.toLowerCase();
}

// Key parsing failures are InvalidKey (the request is well-formed, the key is not).
function publicKey(bytes, what) {
  try {
    return S.PublicKey.deserialize(bytes);
  } catch (err) {
    throw new DriverError('InvalidKey', `${what}: ${err.message}`);
  }
}

function kemPublicKey(bytes, what) {
  try {
    return S.KEMPublicKey.deserialize(bytes);
  } catch (err) {
    throw new DriverError('InvalidKey', `${what}: ${err.message}`);
  }
}

const b64out = (bytes) => Buffer.from(bytes).toString('base64');

function randomRegistrationId() {
  return 1 + Math.floor(Math.random() * 16380);
}

// ---------------------------------------------------------------------------------------------------------
// Operations.

const ops = {
  async create(req) {
    const handle = str(req, 'client');
    if (clients.has(handle)) {
      throw badRequest(`client "${handle}" already exists`);
    }
    const name = str(req, 'name');
    const device = int(requireField(req, 'device'), 'device', 1, 127);
    const registrationId = optInt(req, 'registrationId', 1, 16380) ?? randomRegistrationId();
    if (req.store !== undefined && req.store !== null && req.store !== 'memory') {
      throw badRequest(`unsupported store "${req.store}" (this driver only has "memory")`);
    }
    let identityKeyPair;
    if (req.linkedTo !== undefined && req.linkedTo !== null) {
      const primary = clients.get(req.linkedTo);
      if (!primary) {
        throw new DriverError('UnknownClient', `no client "${req.linkedTo}" to link to`);
      }
      if (primary.name !== name) {
        throw badRequest(`a linked device must have the name of "${req.linkedTo}" (${primary.name})`);
      }
      identityKeyPair = primary.identityKeyPair;
    } else {
      identityKeyPair = S.IdentityKeyPair.generate();
    }
    clients.set(handle, new Client(name, device, identityKeyPair, registrationId));
    return { identityKey: b64out(identityKeyPair.publicKey.serialize()) };
  },

  async identity(req) {
    const c = client(req);
    return { identityKey: b64out(c.identityKeyPair.publicKey.serialize()), registrationId: c.registrationId };
  },

  async bundle(req) {
    const c = client(req);
    const preKeyId = optInt(req, 'preKeyId', 0, 0xffffffff);
    const signedPreKeyId = optInt(req, 'signedPreKeyId', 0, 0xffffffff) ?? c.nextSignedPreKeyId;
    const kyberPreKeyId = optInt(req, 'kyberPreKeyId', 0, 0xffffffff) ?? c.nextKyberPreKeyId;
    const lastResort = req.kyberLastResort === true;
    const now = Date.now();
    const identityPrivate = c.identityKeyPair.privateKey;

    let preKeyPublic = null;
    if (preKeyId !== null) {
      const priv = S.PrivateKey.generate();
      preKeyPublic = priv.getPublicKey();
      await c.preKeyStore.savePreKey(preKeyId, S.PreKeyRecord.new(preKeyId, preKeyPublic, priv));
    }

    const signedPriv = S.PrivateKey.generate();
    const signedPublic = signedPriv.getPublicKey();
    const signedSignature = identityPrivate.sign(signedPublic.serialize());
    await c.signedPreKeyStore.saveSignedPreKey(
      signedPreKeyId,
      S.SignedPreKeyRecord.new(signedPreKeyId, now, signedPublic, signedPriv, signedSignature),
    );

    const kem = S.KEMKeyPair.generate();
    const kyberPublic = kem.getPublicKey();
    const kyberSignature = identityPrivate.sign(kyberPublic.serialize());
    const kyberRecord = S.KyberPreKeyRecord.new(kyberPreKeyId, now, kem, kyberSignature);
    if (lastResort) {
      c.kyberPreKeyStore.saveLastResort(kyberPreKeyId, kyberRecord);
    } else {
      await c.kyberPreKeyStore.saveKyberPreKey(kyberPreKeyId, kyberRecord);
    }

    // Ids are u32; an exhausted counter wraps to 1.
    c.nextSignedPreKeyId = Math.max(c.nextSignedPreKeyId, signedPreKeyId + 1) % 0x1_0000_0000 || 1;
    c.nextKyberPreKeyId = Math.max(c.nextKyberPreKeyId, kyberPreKeyId + 1) % 0x1_0000_0000 || 1;
    return {
      registrationId: c.registrationId,
      deviceId: c.device,
      preKeyId,
      preKey: preKeyPublic === null ? null : b64out(preKeyPublic.serialize()),
      signedPreKeyId,
      signedPreKey: b64out(signedPublic.serialize()),
      signedPreKeySignature: b64out(signedSignature),
      kyberPreKeyId,
      kyberPreKey: b64out(kyberPublic.serialize()),
      kyberPreKeySignature: b64out(kyberSignature),
      identityKey: b64out(c.identityKeyPair.publicKey.serialize()),
    };
  },

  async process_bundle(req) {
    const c = client(req);
    const remote = addressField(req, 'remote');
    const b = requireField(req, 'bundle');
    if (typeof b !== 'object' || Array.isArray(b)) {
      throw badRequest('"bundle" must be an object');
    }
    const registrationId = int(requireField(b, 'registrationId'), 'bundle.registrationId', 0, 0xffffffff);
    const deviceId = int(requireField(b, 'deviceId'), 'bundle.deviceId', 1, 127);
    const preKeyId = optInt(b, 'preKeyId', 0, 0xffffffff);
    const hasPreKey = b.preKey !== undefined && b.preKey !== null;
    if ((preKeyId === null) !== !hasPreKey) {
      throw badRequest('"bundle.preKeyId" and "bundle.preKey" go together');
    }
    const preKeyBytes = hasPreKey ? b64(b.preKey, 'bundle.preKey') : null;
    const signedPreKeyId = int(requireField(b, 'signedPreKeyId'), 'bundle.signedPreKeyId', 0, 0xffffffff);
    const signedPreKeyBytes = bytesField(b, 'signedPreKey');
    const signedPreKeySignature = bytesField(b, 'signedPreKeySignature');
    const identityKeyBytes = bytesField(b, 'identityKey');
    const kyberPreKeyId = int(requireField(b, 'kyberPreKeyId'), 'bundle.kyberPreKeyId', 0, 0xffffffff);
    const kyberPreKeyBytes = bytesField(b, 'kyberPreKey');
    const kyberPreKeySignature = bytesField(b, 'kyberPreKeySignature');

    const bundle = S.PreKeyBundle.new(
      registrationId,
      deviceId,
      preKeyId,
      preKeyBytes === null ? null : publicKey(preKeyBytes, 'one-time pre-key'),
      signedPreKeyId,
      publicKey(signedPreKeyBytes, 'signed pre-key'),
      signedPreKeySignature,
      publicKey(identityKeyBytes, 'identity key'),
      kyberPreKeyId,
      kemPublicKey(kyberPreKeyBytes, 'Kyber pre-key'),
      kyberPreKeySignature,
    );
    await S.processPreKeyBundle(bundle, remote, c.address, c.sessionStore, c.identityStore);
    return {};
  },

  async encrypt(req) {
    const c = client(req);
    const remote = addressField(req, 'remote');
    const plaintext = bytesField(req, 'plaintext');
    const message = await S.signalEncrypt(plaintext, remote, c.address, c.sessionStore, c.identityStore);
    return { type: message.type(), body: b64out(message.serialize()) };
  },

  async decrypt(req) {
    const c = client(req);
    const remote = addressField(req, 'remote');
    const type = requireField(req, 'type');
    const body = bytesField(req, 'body');
    let plaintext;
    if (type === S.CiphertextMessageType.Whisper) {
      const message = parseMessage(() => S.SignalMessage.deserialize(body));
      plaintext = await S.signalDecrypt(message, remote, c.address, c.sessionStore, c.identityStore);
    } else if (type === S.CiphertextMessageType.PreKey) {
      const message = parseMessage(() => S.PreKeySignalMessage.deserialize(body));
      plaintext = await S.signalDecryptPreKey(
        message,
        remote,
        c.address,
        c.sessionStore,
        c.identityStore,
        c.preKeyStore,
        c.signedPreKeyStore,
        c.kyberPreKeyStore,
      );
    } else {
      throw badRequest(`"type" must be 2 or 3, not ${JSON.stringify(type)}`);
    }
    return { plaintext: b64out(plaintext) };
  },

  async has_session(req) {
    const c = client(req);
    const remote = addressField(req, 'remote');
    const record = await c.sessionStore.getSession(remote);
    return { session: record !== null && record.hasCurrentState() };
  },

  async archive_session(req) {
    const c = client(req);
    const remote = addressField(req, 'remote');
    const record = await c.sessionStore.getSession(remote);
    // Archiving when there is nothing to archive is a no-op, as in libsignal's record.
    if (record !== null) {
      record.archiveCurrentState();
      await c.sessionStore.saveSession(remote, record);
    }
    return {};
  },

  async trust(req) {
    const c = client(req);
    const name = str(req, 'name');
    const key = publicKey(bytesField(req, 'identityKey'), 'identity key');
    c.identityStore.trust(name, key);
    return {};
  },

  async sender_key_distribution(req) {
    const c = client(req);
    const id = distributionId(req);
    const message = await S.SenderKeyDistributionMessage.create(c.address, id, c.senderKeyStore);
    return { message: b64out(message.serialize()) };
  },

  async process_sender_key_distribution(req) {
    const c = client(req);
    const sender = addressField(req, 'sender');
    const bytes = bytesField(req, 'message');
    const message = parseMessage(() => S.SenderKeyDistributionMessage.deserialize(bytes));
    await S.processSenderKeyDistributionMessage(sender, message, c.senderKeyStore);
    return {};
  },

  async group_encrypt(req) {
    const c = client(req);
    const id = distributionId(req);
    const plaintext = bytesField(req, 'plaintext');
    const message = await S.groupEncrypt(c.address, id, c.senderKeyStore, plaintext);
    return { body: b64out(message.serialize()) };
  },

  async group_decrypt(req) {
    const c = client(req);
    const sender = addressField(req, 'sender');
    const body = bytesField(req, 'body');
    const plaintext = await S.groupDecrypt(sender, c.senderKeyStore, body);
    return { plaintext: b64out(plaintext) };
  },

  async fingerprint(req) {
    const c = client(req);
    const localId = bytesField(req, 'localId');
    const remoteId = bytesField(req, 'remoteId');
    const remoteKey = publicKey(bytesField(req, 'remoteIdentityKey'), 'remote identity key');
    const localKey =
      req.localIdentityKey === undefined || req.localIdentityKey === null
        ? c.identityKeyPair.publicKey
        : publicKey(b64(req.localIdentityKey, 'localIdentityKey'), 'local identity key');
    const iterations = optInt(req, 'iterations', 2, 1_000_000) ?? 5200;
    const version = optInt(req, 'version', 0, 0xffffffff) ?? 2;
    const fingerprint = S.Fingerprint.new(iterations, version, localId, localKey, remoteId, remoteKey);
    return {
      displayable: fingerprint.displayableFingerprint().toString(),
      scannable: b64out(fingerprint.scannableFingerprint().toBuffer()),
    };
  },
};

// Protocol v2 ops (libsignal-driver-sealed.mjs).
Object.assign(ops, sealedOps({
  DriverError, badRequest, client, str, int, optInt, b64, field: bytesField, addressField, address, publicKey, b64out,
  requireField, journal, addrKey,
}));

// Parse failures of wire messages are InvalidMessage unless libsignal says they are legacy.
function parseMessage(parse) {
  try {
    return parse();
  } catch (err) {
    const kind = errorKind(err);
    throw new DriverError(kind === 'Internal' ? 'InvalidMessage' : kind, err.message);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Error mapping: libsignal's ErrorCode first, then its message text for the Generic code (libsignal's JS
// layer reports most protocol errors as Generic with a descriptive message).

const MESSAGE_KINDS = [
  [/untrusted identity/i, 'UntrustedIdentity'],
  [/duplicate/i, 'DuplicateMessage'],
  [/version was too old|no longer supported|legacy/i, 'LegacyMessage'],
  [/signature/i, 'InvalidSignature'],
  [/sender key state|sender key session/i, 'NoSenderKey'],
  [/session with .* not found|no session|session not found/i, 'NoSession'],
  [/invalid (signed |kyber )?pre ?key (id|identifier)|prekey id|pre-key id/i, 'InvalidKeyId'],
  [/bad key type|bad key length|invalid key|key type|invalid (public|private) key|base key is invalid/i, 'InvalidKey'],
  [
    /decryption failed|invalid message|protobuf|too short|unrecognized|unknown|ciphertext|mac|version|invalid|bad/i,
    'InvalidMessage',
  ],
];

function errorKind(err) {
  if (err instanceof DriverError) {
    return err.kind;
  }
  switch (err?.code) {
    case S.ErrorCode.DuplicatedMessage:
      return 'DuplicateMessage';
    case S.ErrorCode.UntrustedIdentity:
      return 'UntrustedIdentity';
    case S.ErrorCode.InvalidSenderKeySession:
      return 'NoSenderKey';
    case S.ErrorCode.InvalidSession:
      return 'NoSession';
    case S.ErrorCode.VerificationFailed:
      return 'InvalidMessage';
    default:
      break;
  }
  const text = String(err?.message ?? err);
  for (const [pattern, kind] of MESSAGE_KINDS) {
    if (pattern.test(text)) {
      return kind;
    }
  }
  return 'Internal';
}

// Only a bundle has pre-key signatures; a bad signature or key *inside a received message* is an
// InvalidMessage (the ciphertext fails to parse or authenticate), whatever libsignal calls it.
const RECEIVING_OPS = new Set(['decrypt', 'group_decrypt', 'process_sender_key_distribution']);

function narrow(op, kind) {
  if (RECEIVING_OPS.has(op) && (kind === 'InvalidSignature' || kind === 'InvalidKey')) {
    return 'InvalidMessage';
  }
  return kind;
}

// A store callback that threw one of our DriverErrors reaches us wrapped by libsignal; recover its kind.
function unwrap(err) {
  if (err instanceof DriverError) {
    return err;
  }
  for (let cause = err?.cause; cause; cause = cause.cause) {
    if (cause instanceof DriverError) {
      return cause;
    }
  }
  const text = String(err?.message ?? '');
  if (/no (one-time |signed |Kyber )?pre-key with id/.test(text)) {
    return new DriverError('InvalidKeyId', text);
  }
  if (/no session for/.test(text)) {
    return new DriverError('NoSession', text);
  }
  if (/reused with the same base key/.test(text)) {
    return new DriverError('InvalidMessage', text);
  }
  return err;
}

// ---------------------------------------------------------------------------------------------------------
// Main loop: strictly sequential, one response per request.

async function handle(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (err) {
    return { id: null, ok: false, error: 'BadRequest', message: `not JSON: ${err.message}` };
  }
  if (typeof req !== 'object' || req === null || Array.isArray(req)) {
    return { id: null, ok: false, error: 'BadRequest', message: 'request must be a JSON object' };
  }
  const id = req.id ?? null;
  const op = req.op;
  if (op === 'quit') {
    return { id, ok: true, quit: true };
  }
  const fn = typeof op === 'string' && Object.hasOwn(ops, op) ? ops[op] : null;
  if (!fn) {
    return { id, ok: false, error: 'BadRequest', message: `unknown op ${JSON.stringify(op)}` };
  }
  journal.begin();
  try {
    const result = await fn(req);
    journal.commit();
    return { id, ok: true, ...result };
  } catch (raw) {
    journal.rollback();
    const err = unwrap(raw);
    const kind = narrow(op, errorKind(err));
    const message = String(err?.message ?? err);
    if (kind === 'Internal') {
      log(`internal error in ${op}: code=${err?.code} ${err?.stack ?? message}`);
    } else {
      log(`${op} failed: ${kind} (code=${err?.code}) ${message}`);
    }
    return { id, ok: false, error: kind, message };
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
for await (const line of rl) {
  if (line.trim() === '') {
    continue;
  }
  const response = await handle(line);
  const quit = response.quit === true;
  delete response.quit;
  process.stdout.write(JSON.stringify(response) + '\n');
  if (quit) {
    break;
  }
}
rl.close();
process.stdout.write('', () => process.exit(0));
