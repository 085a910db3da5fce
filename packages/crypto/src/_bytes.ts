/**
 * Byte plumbing for the hot paths. `frame` writes exactly what core's `frame` writes (u32be length ‖
 * bytes per part) in one allocation; core's version goes through a generic concat that costs more
 * than the AEAD call it feeds. Randomness comes from Web Crypto, which browsers and Node 20 share.
 */
import { toHex } from '@ddc/core'

const encoder = new TextEncoder()

/** UTF-8 with an ASCII fast path: names are ASCII, and Node 20's TextEncoder costs ~1 µs a call. */
export function utf8(s: string): Uint8Array {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 0x7f) return encoder.encode(s)
    out[i] = c
  }
  return out
}

export function u32be(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255])
}

/** Length-prefixed concatenation, byte-identical to core `frame`. */
export function frame(...parts: Uint8Array[]): Uint8Array {
  let size = 0
  for (const p of parts) size += 4 + p.length
  const out = new Uint8Array(size)
  let o = 0
  for (const p of parts) {
    const n = p.length
    out[o] = (n >>> 24) & 255
    out[o + 1] = (n >>> 16) & 255
    out[o + 2] = (n >>> 8) & 255
    out[o + 3] = n & 255
    out.set(p, o + 4)
    o += 4 + n
  }
  return out
}

/** Lower-case hex without prefix (for map keys and key ids). */
export const hex = (b: Uint8Array): string => toHex(b).slice(2)

export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length))
}

/**
 * A CSPRNG nonce source that draws 4 KiB at a time: one getRandomValues call costs about as much as
 * an XChaCha20 call on a small scope, so drawing per nonce would dominate the seal path. Each refill
 * is a new buffer and every byte is handed out once, so returned views never alias.
 */
export function pooledRandom(poolBytes = 4096): (length: number) => Uint8Array {
  let pool: Uint8Array = new Uint8Array(0)
  let at = 0
  return (length) => {
    if (length > poolBytes) return randomBytes(length)
    if (at + length > pool.length) {
      pool = randomBytes(poolBytes)
      at = 0
    }
    const out = pool.subarray(at, at + length)
    at += length
    return out
  }
}
