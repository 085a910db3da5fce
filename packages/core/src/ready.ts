/** One await that initialises every WASM backend core uses (sr25519/ed25519 keys, libsodium). */
import { cryptoWaitReady } from '@polkadot/util-crypto'
import sodium from 'libsodium-wrappers-sumo'

let ready: Promise<void> | undefined

export function cryptoReady(): Promise<void> {
  ready ??= Promise.all([cryptoWaitReady(), sodium.ready]).then(() => undefined)
  return ready
}

export { sodium }
