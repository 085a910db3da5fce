/** SHA-256 for browsers: synchronous and dependency-light through @noble/hashes. */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data)
}
