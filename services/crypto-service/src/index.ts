/** @ddc/crypto-service — the Encryption API as an HTTP service, for in-process use (tests, devnet). */
export { type Caller, secretsEqual, tokenDigest } from './auth.js'
export { type BucketConfig, CryptoServiceConfig, OPERATIONS, type Operation, type TokenConfig } from './config.js'
export { ForbiddenError } from './errors.js'
export { type CryptoServiceInit, createCryptoService } from './server.js'
