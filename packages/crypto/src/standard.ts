/**
 * The standard encryption module, `xchacha20poly1305-blake2b-v1`: scope split by a scope map, one
 * user scope key per (bucket, owner, scope, epoch) from the BLAKE2b key tree, each scope's part sealed
 * as canonical DAG-CBOR with XChaCha20-Poly1305 (aead.ts), all sealed scopes in one body block.
 */
import {
  DecryptionError,
  decodeAuthenticated,
  encodeCanonical,
  InvalidInputError,
  LIMITS,
  MissingKeyError,
  type ScopeMeta,
  toAddress,
} from '@ddc/core'
import { pooledRandom } from './_bytes.js'
import { accountId, bucketName, epoch as checkEpoch, isPlainObject, name, scopeName } from './_parse.js'
import { sodiumReady } from './_sodium.js'
import { adWriter, NONCE_BYTES, openScope, sealScope } from './aead.js'
import { decodeBody, encodeBody, MAX_BODY_BYTES } from './body.js'
import { kidBytes } from './keytree.js'
import type { DecryptedEvent, EncryptionModule, LockReason, SealedEvent } from './module.js'
import { selectModule } from './module.js'
import { compileScopeMap, mergeFields, type ScopeMap } from './scope.js'

export const STANDARD_MODULE_ID = 'xchacha20poly1305-blake2b-v1'

export interface StandardModuleInit {
  /** Needed to encrypt; a reader that only decrypts can leave it out. */
  scopes?: ScopeMap
  /** The current key epoch per scope (absent: 0). Rotating a scope's key = raising its epoch here. */
  epochs?: Record<string, number> | ((bucket: string, scope: string) => number)
  /** Nonce source. Production uses the CSPRNG; only test vectors inject fixed nonces. */
  nonce?: (length: number) => Uint8Array
}

function checkEvent(ev: { bucket: string; owner: Uint8Array; id: string; type: string }): void {
  bucketName(ev.bucket, 'event bucket')
  accountId(ev.owner, 'event owner')
  name(ev.id, 'event id', LIMITS.id)
  name(ev.type, 'event type', LIMITS.type)
}

export function standardModule(init: StandardModuleInit = {}): EncryptionModule {
  const scopeMap = init.scopes === undefined ? undefined : compileScopeMap(init.scopes)
  const { epochs } = init
  const epochOf = (bucket: string, scope: string): number =>
    checkEpoch(
      typeof epochs === 'function' ? epochs(bucket, scope) : (epochs?.[scope] ?? 0),
      `epoch of scope '${scope}'`,
    )
  const nonce = init.nonce ?? pooledRandom()
  const adOf = adWriter(STANDARD_MODULE_ID)
  // Key ids are a BLAKE2b call each; a KeyRing hands back the same array per key, so remember them.
  const kids = new WeakMap<Uint8Array, string>()
  const kidOf = (key: Uint8Array): string => {
    let kid = kids.get(key)
    if (kid === undefined) {
      kid = kidBytes('user', key)
      kids.set(key, kid)
    }
    return kid
  }

  const module: EncryptionModule = {
    id: STANDARD_MODULE_ID,

    async encrypt(event, keys) {
      const loading = sodiumReady()
      if (loading) await loading
      checkEvent(event)
      if (!scopeMap)
        throw new InvalidInputError('this module was made without a scope map (init.scopes), so it can only decrypt')
      const { pub, scopes: parts } = scopeMap.split(event.type, event.data)
      const scopes: Record<string, ScopeMeta> = {}
      const sealed: Record<string, Uint8Array[]> = {}
      for (const scope of [...parts.keys()].sort()) {
        const epoch = epochOf(event.bucket, scope)
        const ref = { bucket: event.bucket, scope, epoch, owner: event.owner }
        const found = keys.userScopeKey(ref)
        const key = found instanceof Promise ? await found : found // no extra tick for an in-memory ring
        if (!key) {
          throw new MissingKeyError(
            `no key to seal scope '${scope}' of bucket ${event.bucket} at epoch ${epoch} for ${toAddress(event.owner)}`,
            {
              details: { bucket: event.bucket, scope, epoch },
            },
          )
        }
        const n = nonce(NONCE_BYTES)
        if (n.length !== NONCE_BYTES) throw new InvalidInputError(`the nonce source must return ${NONCE_BYTES} bytes`)
        sealed[scope] = [n, sealScope(key, encodeCanonical(parts.get(scope)), adOf(event, scope, epoch), n)]
        scopes[scope] = { epoch, kid: kidOf(key) }
      }
      const body = encodeBody(sealed)
      return pub === undefined
        ? { enc: STANDARD_MODULE_ID, scopes, body }
        : { pub, enc: STANDARD_MODULE_ID, scopes, body }
    },

    async decrypt(event, body, keys, options = {}) {
      const loading = sodiumReady()
      if (loading) await loading
      if (event.enc === undefined)
        throw new InvalidInputError('event has no enc, so nothing in it is sealed; decryptEvent reads such events')
      if (event.enc !== STANDARD_MODULE_ID) selectModule([module], event.enc)
      checkEvent(event)
      const metas = checkScopes(event)
      let entries: Record<string, Uint8Array> | undefined
      try {
        entries = decodeBody(body)
      } catch {
        entries = undefined // every scope with a key is then reported as bad-ciphertext
      }
      const out: DecryptedEvent = { data: event.pub ? mergeFields({}, event.pub) : {}, opened: [], locked: [] }
      const lock = (scope: string, reason: LockReason): void => {
        if (options.strict) {
          const details = { scope, reason }
          if (reason === 'no-key')
            throw new MissingKeyError(`no key for scope '${scope}' of event ${event.id}`, { details })
          throw new DecryptionError(
            `scope '${scope}' of event ${event.id} does not open: tampered, moved or sealed under another key`,
            { details },
          )
        }
        out.locked.push({ scope, reason })
      }
      for (const [scope, meta] of metas) {
        const found = keys.userScopeKey({ bucket: event.bucket, scope, epoch: meta.epoch, owner: event.owner })
        const key = found instanceof Promise ? await found : found
        if (!key || (meta.kid !== undefined && meta.kid !== kidOf(key))) {
          lock(scope, 'no-key')
          continue
        }
        const sealed = entries && Object.hasOwn(entries, scope) ? entries[scope] : undefined
        const plain = sealed && openScope(key, sealed, adOf(event, scope, meta.epoch))
        const part = plain && parsePart(plain)
        if (!part) {
          lock(scope, 'bad-ciphertext')
          continue
        }
        mergeFields(out.data, part)
        out.opened.push(scope)
      }
      return out
    },
  }
  return module
}

function checkScopes(event: SealedEvent): [string, ScopeMeta][] {
  const scopes = event.scopes ?? {}
  if (!isPlainObject(scopes)) throw new InvalidInputError('event scopes must be a map')
  return Object.keys(scopes)
    .sort()
    .map((scope) => {
      const meta = scopes[scope]
      scopeName(scope, 'scope name')
      if (!isPlainObject(meta)) throw new InvalidInputError(`scopes.${scope} must be { epoch, kid? }`)
      checkEpoch(meta.epoch, `scopes.${scope}.epoch`)
      return [scope, meta]
    })
}

/** A scope plaintext that authenticated but is not a map is as unusable as a forgery. */
function parsePart(plain: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value = decodeAuthenticated(plain, MAX_BODY_BYTES)
    return isPlainObject(value) ? value : undefined
  } catch {
    return undefined
  }
}
