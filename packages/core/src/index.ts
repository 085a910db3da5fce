/** @ddc/core — identities, signers, canonical encoding, CIDs, envelopes, seals, capabilities, errors. */

export { sha256 } from '#hash'
export * from './address.js'
export * from './bytes.js'
export * from './cid.js'
export * from './codec.js'
export * from './envelope.js'
export * from './errors.js'
export * from './merkle.js'
export { cryptoReady } from './ready.js'
export * from './seal.js'
export * from './signature.js'
export * from './signer.js'
