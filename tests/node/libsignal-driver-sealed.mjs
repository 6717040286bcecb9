// Driver protocol v2 ops (sealed sender, certificates, retry receipts, PNI signatures) over libsignal 0.103,
// registered by libsignal-driver.mjs. Every libsignal failure is turned into an explicit driver error kind
// here, so the generic text classifier of the main driver only sees inner-session errors.

import * as S from '@signalapp/libsignal-client';
// The server-side parser is not re-exported by the package index.
import SealedSenderMultiRecipientMessage from '@signalapp/libsignal-client/dist/SealedSenderMultiRecipientMessage.js';

/** USMC wire types: PreKey is 1 on the wire, 3 in the API. */
const USMC_WIRE_TYPE = { 2: 2, 3: 1, 7: 7, 8: 8 };

function varint(value) {
  const out = [];
  let v = BigInt(value);
  while (v >= 0x80n) {
    out.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

const bytesField = (field, bytes) => Buffer.concat([varint((field << 3) | 2), varint(bytes.length), Buffer.from(bytes)]);
const varintField = (field, value) => Buffer.concat([varint(field << 3), varint(value)]);

/**
 * @param h helpers of the main driver: DriverError, badRequest, client, str, int, optInt, b64, field (bytes field),
 *   addressField, address, publicKey, b64out, requireField, errorKind, journal, addrKey
 */
export function sealedOps(h) {
  const { DriverError, badRequest, client, str, int, optInt, b64, field, addressField, address, publicKey, b64out, requireField } = h;

  const as = (kind, fn) => {
    try {
      return fn();
    } catch (err) {
      throw err instanceof DriverError ? err : new DriverError(kind, String(err?.message ?? err));
    }
  };
  const asAsync = async (kind, fn) => {
    try {
      return await fn();
    } catch (err) {
      throw err instanceof DriverError ? err : new DriverError(kind, String(err?.message ?? err));
    }
  };

  const privateKey = (bytes, what) => as('InvalidKey', () => S.PrivateKey.deserialize(bytes));
  const senderCertificate = (bytes) => as('InvalidCertificate', () => S.SenderCertificate.deserialize(bytes));
  const time = (req, name) => int(requireField(req, name), name, 0, Number.MAX_SAFE_INTEGER);
  const optString = (req, name) => (req[name] === undefined || req[name] === null ? null : str(req, name));

  function certificateFields(cert) {
    return {
      senderUuid: cert.senderUuid(),
      senderE164: cert.senderE164() ?? null,
      senderDevice: cert.senderDeviceId(),
      identityKey: b64out(cert.key().serialize()),
      expiration: cert.expiration(),
    };
  }

  function serviceId(name) {
    return as('BadRequest', () => S.ServiceId.parseFromServiceIdString(name));
  }

  return {
    async server_certificate(req) {
      const root = privateKey(field(req, 'trustRootPrivateKey'));
      const keyId = int(requireField(req, 'keyId'), 'keyId', 0, 0xffffffff);
      const serverKey = publicKey(field(req, 'serverKey'), 'server key');
      return { certificate: b64out(S.ServerCertificate.new(keyId, serverKey, root).serialize()) };
    },

    async sender_certificate(req) {
      const server = as('InvalidCertificate', () => S.ServerCertificate.deserialize(field(req, 'serverCertificate')));
      const serverKey = privateKey(field(req, 'serverPrivateKey'));
      const certificate = S.SenderCertificate.new(
        str(req, 'senderUuid'),
        optString(req, 'senderE164'),
        int(requireField(req, 'senderDevice'), 'senderDevice', 1, 127),
        publicKey(field(req, 'identityKey'), 'identity key'),
        time(req, 'expiration'),
        server,
        serverKey,
      );
      return { certificate: b64out(certificate.serialize()) };
    },

    async validate_sender_certificate(req) {
      const cert = senderCertificate(field(req, 'certificate'));
      const roots = requireField(req, 'trustRoots');
      if (!Array.isArray(roots) || roots.length === 0) {
        throw badRequest('"trustRoots" must be a non-empty array of public keys');
      }
      const keys = roots.map((r, i) => publicKey(b64(r, `trustRoots[${i}]`), 'trust root'));
      const valid = cert.validateWithTrustRoots(keys, time(req, 'time'));
      let server = null;
      try {
        server = cert.serverCertificate();
      } catch {
        server = null;
      }
      return {
        valid,
        ...certificateFields(cert),
        serverKeyId: server === null ? null : server.keyId(),
        serverKey: server === null ? null : b64out(server.key().serialize()),
      };
    },

    async sealed_encrypt(req) {
      const c = client(req);
      const remote = addressField(req, 'remote');
      const cert = senderCertificate(field(req, 'senderCertificate'));
      const plaintext = field(req, 'plaintext');
      const message = await S.sealedSenderEncryptMessage(plaintext, remote, cert, c.sessionStore, c.identityStore);
      return { message: b64out(message) };
    },

    async sealed_content(req) {
      const certBytes = field(req, 'senderCertificate');
      senderCertificate(certBytes);
      const type = requireField(req, 'type');
      if (!(type in USMC_WIRE_TYPE)) {
        throw badRequest(`"type" must be 2, 3, 7 or 8, not ${JSON.stringify(type)}`);
      }
      const body = field(req, 'body');
      const hint = optInt(req, 'contentHint', 0, 0x7fffffff) ?? 0;
      const groupId = req.groupId === undefined || req.groupId === null ? Buffer.alloc(0) : b64(req.groupId, 'groupId');
      // Encoded here (fields 1..5 in order, hint only when non-zero, group id only when non-empty) so the body
      // is wrapped exactly as given; libsignal must then accept it.
      const parts = [varintField(1, USMC_WIRE_TYPE[type]), bytesField(2, certBytes), bytesField(3, body)];
      if (hint !== 0) {
        parts.push(varintField(4, hint));
      }
      if (groupId.length > 0) {
        parts.push(bytesField(5, groupId));
      }
      const content = Buffer.concat(parts);
      as('Internal', () => S.UnidentifiedSenderMessageContent.deserialize(content));
      return { content: b64out(content) };
    },

    async sealed_encrypt_content(req) {
      const c = client(req);
      const remote = addressField(req, 'remote');
      const content = as('InvalidSealedSender', () => S.UnidentifiedSenderMessageContent.deserialize(field(req, 'content')));
      if ((await c.identityStore.getIdentity(remote)) === null) {
        throw new DriverError('NoSession', `no identity key for ${remote.name()}.${remote.deviceId()}`);
      }
      return { message: b64out(await S.sealedSenderEncrypt(content, remote, c.identityStore)) };
    },

    async sealed_multi_encrypt(req) {
      const c = client(req);
      const list = requireField(req, 'recipients');
      if (!Array.isArray(list)) {
        throw badRequest('"recipients" must be an array of addresses');
      }
      const recipients = list.map((a, i) => address(a, `recipients[${i}]`));
      recipients.forEach((a) => serviceId(a.name()));
      const excluded = req.excluded === undefined || req.excluded === null ? [] : req.excluded;
      if (!Array.isArray(excluded) || excluded.some((e) => typeof e !== 'string')) {
        throw badRequest('"excluded" must be an array of ServiceId strings');
      }
      const content = as('InvalidSealedSender', () => S.UnidentifiedSenderMessageContent.deserialize(field(req, 'content')));
      try {
        const sent = await S.sealedSenderMultiRecipientEncrypt({
          content,
          recipients,
          excludedRecipients: excluded.map(serviceId),
          identityStore: c.identityStore,
          sessionStore: c.sessionStore,
        });
        return { sentMessage: b64out(sent) };
      } catch (err) {
        const text = String(err?.message ?? err);
        if (/registration id|session|identity/i.test(text) && !(err instanceof DriverError)) {
          throw new DriverError('NoSession', text);
        }
        throw err;
      }
    },

    async sealed_multi_split(req) {
      const sent = field(req, 'sentMessage');
      return as('InvalidSealedSender', () => {
        const parsed = new SealedSenderMultiRecipientMessage(sent);
        const recipients = Object.entries(parsed.recipientsByServiceIdString()).map(([id, r]) => ({
          serviceId: id,
          devices: [...r.deviceIds],
          registrationIds: [...r.registrationIds],
          message: b64out(parsed.messageForRecipient(r)),
        }));
        return { recipients, excluded: [...parsed.excludedRecipientServiceIdStrings()] };
      });
    },

    async sealed_decrypt(req) {
      const c = client(req);
      const message = field(req, 'message');
      const trustRoot = publicKey(field(req, 'trustRoot'), 'trust root');
      const timestamp = time(req, 'timestamp');
      const localE164 = optString(req, 'localE164');
      // Opening touches no store: run it first so envelope failures get their own kind.
      await asAsync('InvalidSealedSender', () => S.sealedSenderDecryptToUsmc(message, c.identityStore));
      let result;
      try {
        result = await S.sealedSenderDecryptMessage(
          message, trustRoot, timestamp, localE164, c.name, c.device,
          c.sessionStore, c.identityStore, c.preKeyStore, c.signedPreKeyStore, c.kyberPreKeyStore,
        );
      } catch (err) {
        if (err?.code === S.ErrorCode.SealedSenderSelfSend) {
          throw new DriverError('SealedSenderSelfSend', String(err.message));
        }
        if (/trust root validation failed|unknown server certificate ID/.test(String(err?.message ?? ''))) {
          throw new DriverError('InvalidCertificate', String(err.message));
        }
        throw err;
      }
      return {
        plaintext: b64out(result.message()),
        senderUuid: result.senderUuid(),
        senderE164: result.senderE164() ?? null,
        senderDevice: result.deviceId(),
      };
    },

    async sealed_decrypt_to_usmc(req) {
      const c = client(req);
      const message = field(req, 'message');
      const usmc = await asAsync('InvalidSealedSender', () => S.sealedSenderDecryptToUsmc(message, c.identityStore));
      const cert = usmc.senderCertificate();
      const type = usmc.msgType();
      return {
        type: type === 1 ? 3 : type,
        body: b64out(usmc.contents()),
        contentHint: usmc.contentHint(),
        groupId: usmc.groupId() ? b64out(usmc.groupId()) : null,
        senderCertificate: b64out(cert.serialize()),
        ...certificateFields(cert),
      };
    },

    async decryption_error(req) {
      const type = requireField(req, 'type');
      if (type !== 2 && type !== 3 && type !== 7) {
        throw badRequest(`"type" must be 2, 3 or 7, not ${JSON.stringify(type)}`);
      }
      const body = field(req, 'body');
      const timestamp = time(req, 'timestamp');
      const device = int(requireField(req, 'senderDevice'), 'senderDevice', 0, 0xffffffff);
      const dem = as('InvalidMessage', () => S.DecryptionErrorMessage.forOriginal(body, type, timestamp, device));
      const key = dem.ratchetKey();
      return {
        message: b64out(dem.serialize()),
        plaintextContent: b64out(S.PlaintextContent.from(dem).serialize()),
        ratchetKey: key ? b64out(key.serialize()) : null,
      };
    },

    async read_plaintext_content(req) {
      const bytes = field(req, 'body');
      return as('InvalidMessage', () => {
        const content = S.PlaintextContent.deserialize(bytes);
        const dem = S.DecryptionErrorMessage.extractFromSerializedBody(content.body());
        const key = dem.ratchetKey();
        return {
          message: b64out(dem.serialize()),
          ratchetKey: key ? b64out(key.serialize()) : null,
          timestamp: dem.timestamp(),
          senderDevice: dem.deviceId(),
        };
      });
    },

    async ratchet_key_matches(req) {
      const c = client(req);
      const remote = addressField(req, 'remote');
      const key = publicKey(field(req, 'ratchetKey'), 'ratchet key');
      const record = await c.sessionStore.getSession(remote);
      return { matches: record !== null && record.currentRatchetKeyMatches(key) };
    },

    async delete_session(req) {
      const c = client(req);
      const remote = addressField(req, 'remote');
      h.journal.delete(c.sessionStore.sessions, h.addrKey(remote));
      return {};
    },

    async sign_alternate_identity(req) {
      const c = client(req);
      const other = publicKey(field(req, 'otherIdentityKey'), 'other identity key');
      return { signature: b64out(c.identityKeyPair.signAlternateIdentity(other)) };
    },

    async verify_alternate_identity(req) {
      const key = publicKey(field(req, 'identityKey'), 'identity key');
      const other = publicKey(field(req, 'otherIdentityKey'), 'other identity key');
      const signature = field(req, 'signature');
      return { valid: key.verifyAlternateIdentity(other, signature) };
    },
  };
}
