/** Helpers for this package's tests (not exported): a signer that counts wallet prompts, and draining. */
import type { Signer } from '@ddc/core'

/** Wraps `signer` so that `calls` counts its `signRaw` calls (what a wallet would prompt for). */
export function counting(signer: Signer): { calls: number; signer: Signer } {
  const c: { calls: number; signer: Signer } = { calls: 0, signer }
  c.signer = {
    ...signer,
    signRaw: (m: Uint8Array) => {
      c.calls++
      return signer.signRaw(m)
    },
  }
  return c
}

export async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}
