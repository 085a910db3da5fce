/**
 * Worked example for docs/extending.md: a second EncryptionModule, AES-256-GCM through WebCrypto (so it
 * runs in Node and browsers), reusing the standard scope maps and key tree. It shows the contract:
 * a versioned id, per-scope metadata in `scopes`, ciphertexts in the body block, associated data that
 * binds each ciphertext to its event, and locked scopes reported instead of thrown.
 */
import { decodeAuthenticated, encodeCanonical, frame, toHex, utf8 } from '@ddc/core'
import {
  compileScopeMap,
  type DecryptedEvent,
  type EncryptionModule,
  type KeySource,
  type LockReason,
  mergeFields,
  type ScopeMap,
} from '@ddc/crypto'

export const AES_GCM_MODULE_ID = 'aes256gcm-blake2b-v1'

const IV_BYTES = 12
/** WebCrypto's types want ArrayBuffer-backed views; ours are (TS cannot see it through the codecs). */
const buf = (b: Uint8Array): Uint8Array<ArrayBuffer> => b as Uint8Array<ArrayBuffer>

function associatedData(
  ev: { bucket: string; owner: Uint8Array; id: string; type: string },
  scope: string,
  epoch: number,
) {
  return frame(
    utf8(AES_GCM_MODULE_ID),
    utf8(ev.bucket),
    ev.owner,
    utf8(ev.id),
    utf8(ev.type),
    utf8(scope),
    utf8(String(epoch)),
  )
}

async function aesKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', buf(raw), 'AES-GCM', false, ['encrypt', 'decrypt'])
}

export function aesGcmModule(init: { scopes: ScopeMap; epoch?: number }): EncryptionModule {
  const map = compileScopeMap(init.scopes)
  const epoch = init.epoch ?? 0
  return {
    id: AES_GCM_MODULE_ID,

    async encrypt(event, keys: KeySource) {
      const { pub, scopes: parts } = map.split(event.type, event.data)
      const scopes: Record<string, { epoch: number }> = {}
      const sealed: Record<string, Uint8Array> = {}
      for (const [scope, fields] of parts) {
        const raw = await keys.userScopeKey({ bucket: event.bucket, owner: event.owner, scope, epoch })
        if (!raw) throw new Error(`no key for scope ${scope}`)
        const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
        const ct = new Uint8Array(
          await crypto.subtle.encrypt(
            { name: 'AES-GCM', iv, additionalData: buf(associatedData(event, scope, epoch)) },
            await aesKey(raw),
            buf(encodeCanonical(fields)),
          ),
        )
        const out = new Uint8Array(IV_BYTES + ct.length)
        out.set(iv)
        out.set(ct, IV_BYTES)
        sealed[scope] = out
        scopes[scope] = { epoch }
      }
      return { ...(pub ? { pub } : {}), enc: AES_GCM_MODULE_ID, scopes, body: encodeCanonical(sealed) }
    },

    async decrypt(event, body, keys): Promise<DecryptedEvent> {
      const sealed = decodeAuthenticated<Record<string, Uint8Array>>(body)
      const data: Record<string, unknown> = { ...event.pub }
      const opened: string[] = []
      const locked: { scope: string; reason: LockReason }[] = []
      for (const [scope, meta] of Object.entries(event.scopes ?? {})) {
        const raw = await keys.userScopeKey({ bucket: event.bucket, owner: event.owner, scope, epoch: meta.epoch })
        const box = sealed[scope]
        if (!raw || !box) {
          locked.push({ scope, reason: 'no-key' })
          continue
        }
        try {
          const plain = await crypto.subtle.decrypt(
            {
              name: 'AES-GCM',
              iv: buf(box.subarray(0, IV_BYTES)),
              additionalData: buf(associatedData(event, scope, meta.epoch)),
            },
            await aesKey(raw),
            buf(box.subarray(IV_BYTES)),
          )
          mergeFields(data, decodeAuthenticated<Record<string, unknown>>(new Uint8Array(plain)))
          opened.push(scope)
        } catch {
          locked.push({ scope, reason: 'bad-ciphertext' })
        }
      }
      return { data, opened, locked }
    },
  }
}

/** Key ids are not part of this example's format; shown so logs can name a key without revealing it. */
export const keyLabel = (key: Uint8Array): string => toHex(key).slice(2, 10)
