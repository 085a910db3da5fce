/** Untrusted request values into typed ones, once, at the boundary. */
import { fromHex, InvalidInputError, toAccountId } from '@ddc/core'

/** An account as SS58 text (any prefix) or 0x-hex AccountId32; bad input is ERR_INVALID_ADDRESS / ERR_INVALID_INPUT. */
export function parseAccount(text: string): Uint8Array {
  return text.startsWith('0x') ? fromHex(text, 32) : toAccountId(text)
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Strict standard base64 (padded, canonical): Buffer alone would skip bad characters. */
export function fromBase64(text: string, what: string): Uint8Array {
  const buf = text.length % 4 === 0 && BASE64.test(text) ? Buffer.from(text, 'base64') : undefined
  if (!buf || buf.toString('base64') !== text) throw new InvalidInputError(`${what} must be standard padded base64`)
  return new Uint8Array(buf)
}

export const toBase64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')
