/** Byte helpers shared by every package: hex, UTF-8, concatenation and constant-time comparison. */
import { hexToU8a, isHex, u8aConcat, u8aToHex } from '@polkadot/util'
import { InvalidInputError } from './errors.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export const utf8 = (s: string): Uint8Array => encoder.encode(s)
export const fromUtf8 = (b: Uint8Array): string => decoder.decode(b)
export const concat = (...parts: Uint8Array[]): Uint8Array => u8aConcat(...parts)

/** Lower-case hex with `0x` prefix. */
export const toHex = (b: Uint8Array): string => u8aToHex(b)

export function fromHex(s: string, expectedLength?: number): Uint8Array {
  const prefixed = s.startsWith('0x') ? s : `0x${s}`
  if (!isHex(prefixed)) throw new InvalidInputError('expected a hex string')
  const out = hexToU8a(prefixed)
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new InvalidInputError(`expected ${expectedLength} bytes of hex, got ${out.length}`)
  }
  return out
}

/** Compares without an early exit, so timing does not reveal where secrets differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export function u32be(n: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, n >>> 0)
  return out
}

/** Length-prefixed concatenation: unambiguous framing for hash and KDF inputs. */
export function frame(...parts: Uint8Array[]): Uint8Array {
  return concat(...parts.flatMap((p) => [u32be(p.length), p]))
}
