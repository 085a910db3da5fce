/** SHA-256 through node:crypto (native speed for CIDs on the ingest path). */
import { createHash } from 'node:crypto'

export function sha256(data: Uint8Array): Uint8Array {
  const d = createHash('sha256').update(data).digest()
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
}
