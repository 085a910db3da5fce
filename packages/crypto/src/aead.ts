/**
 * Scope sealing: XChaCha20-Poly1305-IETF, a fresh 24-byte nonce per scope, the nonce stored in front
 * of the ciphertext. The associated data names everything a ciphertext belongs to, so one moved to
 * another module, bucket, timeline, event, type, scope or epoch fails to open:
 *
 *   AD = frame("ddc:v1:scope-ad", module id, bucket, owner (32 bytes), event id, event type, scope, u32be(epoch))
 *
 * The envelope's seq and prev are left out on purpose: the body is sealed before the event is linked,
 * and a writer that loses a compare-and-set race re-links without re-encrypting.
 */
import { frame, utf8 } from './_bytes.js'
import { sodium } from './_sodium.js'

export const NONCE_BYTES = 24
export const TAG_BYTES = 16

const CTX_AD = utf8('ddc:v1:scope-ad')

export interface AdEvent {
  bucket: string
  owner: Uint8Array
  id: string
  type: string
}

/**
 * An AD writer for one module. It frames into one scratch buffer and returns a view of it that is
 * valid until its next call: libsodium copies the AD at once, and a fresh array per scope (over V8's
 * 64-byte on-heap limit) cost as much as the AEAD call. Callers that keep an AD must copy it.
 */
export function adWriter(moduleId: string): (ev: AdEvent, scope: string, epoch: number) => Uint8Array {
  const prefix = frame(CTX_AD, utf8(moduleId))
  let scratch = new Uint8Array(1024)
  let at = 0
  const put = (b: Uint8Array): void => {
    scratch[at] = b.length >>> 24
    scratch[at + 1] = (b.length >>> 16) & 255
    scratch[at + 2] = (b.length >>> 8) & 255
    scratch[at + 3] = b.length & 255
    scratch.set(b, at + 4)
    at += 4 + b.length
  }
  return (ev, scope, epoch) => {
    const parts = [utf8(ev.bucket), ev.owner, utf8(ev.id), utf8(ev.type), utf8(scope)]
    let size = prefix.length + 8
    for (const p of parts) size += 4 + p.length
    if (size > scratch.length) scratch = new Uint8Array(size)
    scratch.set(prefix)
    at = prefix.length
    for (const p of parts) put(p)
    put(new Uint8Array([(epoch >>> 24) & 255, (epoch >>> 16) & 255, (epoch >>> 8) & 255, epoch & 255]))
    return scratch.subarray(0, at)
  }
}

/** Ciphertext ‖ tag (the caller stores the nonce in front of it). */
export function sealScope(key: Uint8Array, plaintext: Uint8Array, ad: Uint8Array, nonce: Uint8Array): Uint8Array {
  return sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key)
}

/** The plaintext of nonce ‖ ciphertext ‖ tag, or undefined when it does not open under this key and AD. */
export function openScope(key: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array | undefined {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) return undefined
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      sealed.subarray(NONCE_BYTES),
      ad,
      sealed.subarray(0, NONCE_BYTES),
      key,
    )
  } catch {
    return undefined
  }
}
