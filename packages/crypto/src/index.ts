/**
 * @ddc/crypto — the Data Encryption Module: scope maps, the keyed-BLAKE2b key tree, XChaCha20-Poly1305
 * scope sealing, account X25519 keys, key wrapping and grants. Synchronous functions need
 * `await cryptoReady()` (from @ddc/core) once; async ones wait for libsodium themselves.
 */

export type { Signed } from './_record.js'
export {
  type Announcement,
  type AnnouncementInit,
  type AnnouncementJson,
  announcementFromJson,
  announcementToJson,
  createAnnouncement,
  decodeAnnouncement,
  encodeAnnouncement,
  verifyAnnouncement,
} from './announcement.js'
export {
  createGrant,
  decodeGrant,
  encodeGrant,
  type Grant,
  type GrantInit,
  type GrantJson,
  grantFromJson,
  grantToJson,
  openGrant,
  verifyGrant,
} from './grant.js'
export { KeyRing, type KeyRingInit, type KeySource } from './keyring.js'
export {
  type BucketScopeKey,
  deriveBucketScopeKey,
  deriveUserScopeKey,
  generateMasterKey,
  KEY_BYTES,
  type KeyLevel,
  keyId,
  type MasterKey,
  type ScopeRef,
  type TreeKey,
  type UserScopeKey,
  type UserScopeRef,
} from './keytree.js'
export type {
  DecryptedEvent,
  DecryptOptions,
  EncryptedEvent,
  EncryptionModule,
  LockReason,
  PlainEvent,
  SealedEvent,
} from './module.js'
export { decryptEvent, selectModule } from './module.js'
export {
  type CompiledScopeMap,
  compileScopeMap,
  mergeFields,
  type ScopeMap,
  type ScopeRule,
  type SplitEvent,
} from './scope.js'
export { STANDARD_MODULE_ID, type StandardModuleInit, standardModule } from './standard.js'
export { encryptionKeyPair, unwrapKey, wrapKey, type X25519KeyPair } from './wrap.js'
