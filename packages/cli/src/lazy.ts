/**
 * The heavy libraries (polkadot, libsodium) load only when a command needs them, so `--help`, usage
 * errors and local commands start fast.
 */
export const core = () => import('@ddc/core')
export const crypto = () => import('@ddc/crypto')
export const sdk = () => import('@ddc/sdk')
export const chainLib = () => import('@ddc/chain')
