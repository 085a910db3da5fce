/**
 * Key announcements: an account publishes its X25519 encryption key, signed by its account key
 * (seal kind 'key'), so that a grantor can wrap keys for it without trusting whoever relays the
 * record (the CLS key directory). The newest `created` wins when an account announces again.
 *
 *   { v: 1, account: AccountId32, x25519: 32 bytes, created: ms since epoch }
 */
import {
  decodeCanonical,
  encodeCanonical,
  fromHex,
  InvalidInputError,
  type Signer,
  toAccountId,
  toAddress,
  toHex,
} from '@ddc/core'
import { accountId, bytes, text, uint, versioned } from './_parse.js'
import { openSigned, type Signed, signRecord } from './_record.js'
import { sodiumReady } from './_sodium.js'
import { encryptionKeyPair, X25519_BYTES } from './wrap.js'

export const ANNOUNCEMENT_VERSION = 1

export interface Announcement {
  v: 1
  account: Uint8Array
  x25519: Uint8Array
  created: number
}

/** The JSON view: SS58 account, 0x-hex key. */
export interface AnnouncementJson {
  v: 1
  account: string
  x25519: string
  created: number
}

export function parseAnnouncement(value: unknown): Announcement {
  const r = versioned(value, 'key announcement', ANNOUNCEMENT_VERSION, ['account', 'x25519', 'created'])
  return {
    v: 1,
    account: accountId(r.account, 'key announcement account'),
    x25519: bytes(r.x25519, 'key announcement x25519', X25519_BYTES),
    created: uint(r.created, 'key announcement created'),
  }
}

export const encodeAnnouncement = (a: Announcement): Uint8Array => encodeCanonical(parseAnnouncement(a))
export const decodeAnnouncement = (b: Uint8Array): Announcement => parseAnnouncement(decodeCanonical(b))

export function announcementToJson(a: Announcement, ss58Prefix?: number): AnnouncementJson {
  return { v: 1, account: toAddress(a.account, ss58Prefix), x25519: toHex(a.x25519), created: a.created }
}

export function announcementFromJson(json: unknown): Announcement {
  const j = versioned(json, 'key announcement', ANNOUNCEMENT_VERSION, ['account', 'x25519', 'created'])
  return parseAnnouncement({
    v: j.v,
    account: toAccountId(text(j.account, 'key announcement account')),
    x25519: fromHex(text(j.x25519, 'key announcement x25519')),
    created: j.created,
  })
}

export interface AnnouncementInit {
  signer: Signer
  /** The X25519 public key to announce; derived from the signer's encryptionSeed when absent. */
  publicKey?: Uint8Array
  /** Default: now. */
  created?: number
}

export async function createAnnouncement(init: AnnouncementInit): Promise<Signed<Announcement>> {
  await sodiumReady()
  const seed = (init.signer as { encryptionSeed?: Uint8Array }).encryptionSeed
  const publicKey = init.publicKey ?? (seed && encryptionKeyPair(seed).publicKey)
  if (!publicKey)
    throw new InvalidInputError('pass publicKey: this signer has no local encryptionSeed to derive it from')
  const record = parseAnnouncement({
    v: 1,
    account: init.signer.accountId,
    x25519: publicKey,
    created: init.created ?? Date.now(),
  })
  return signRecord(init.signer, 'key', record)
}

/** Decodes a received announcement and checks that the account it names signed it. */
export function verifyAnnouncement(input: { bytes: Uint8Array; seal: unknown }): Signed<Announcement> {
  return openSigned(input, 'key', parseAnnouncement, (a) => a.account)
}
