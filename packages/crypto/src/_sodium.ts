/**
 * The one place this package touches libsodium. Synchronous functions call `sodium()`, which turns
 * "WASM not loaded yet" into a clear error instead of `undefined is not a function`; async entry
 * points await `sodiumReady()` themselves. core's `cryptoReady()` loads the same instance.
 */
import { DdcError } from '@ddc/core'
import lib from 'libsodium-wrappers-sumo'

export type Sodium = typeof lib

const loaded = (): boolean => typeof lib.crypto_generichash === 'function'

/** Resolves once libsodium is loaded; `undefined` when it already is (no await, no extra tick). */
export function sodiumReady(): Promise<unknown> | undefined {
  return loaded() ? undefined : lib.ready
}

export function sodium(): Sodium {
  if (!loaded()) {
    throw new DdcError('libsodium is not loaded yet: await cryptoReady() from @ddc/core before calling @ddc/crypto')
  }
  return lib
}
