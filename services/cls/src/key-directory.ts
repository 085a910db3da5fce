/**
 * The key directory (DESIGN.md "Keys and scoped encryption"): each account's X25519 encryption key,
 * as the signed announcement the account published, so a grantor can wrap keys for it without trusting
 * the CLS — the announcement verifies on its own. The newest `created` wins; an older or equally old
 * but different announcement is refused (ERR_CONFLICT), a repeat of the stored one is accepted as is.
 *
 * Stored in LevelDB rather than one JSON file: each announcement is its own key, written with fsync
 * (`sync: true`) before the PUT is answered, so an update costs one small write however many accounts
 * there are, and a crash never leaves a half-written directory behind.
 */
import { mkdirSync } from 'node:fs'
import {
  bytesEqual,
  type CID,
  ConflictError,
  cidOf,
  decodeCanonical,
  encodeCanonical,
  InvalidInputError,
  parseSeal,
  toAddress,
  toHex,
} from '@ddc/core'
import { type Announcement, decodeAnnouncement, type Signed, verifyAnnouncement } from '@ddc/crypto'
import { ClassicLevel } from 'classic-level'

export type PutOutcome = 'created' | 'replaced' | 'unchanged'

export interface KeyDirectory {
  /** Verifies and stores an announcement; throws ERR_BAD_SIGNATURE, ERR_CONFLICT, ERR_INVALID_INPUT. */
  put(input: { bytes: Uint8Array; seal: unknown }): Promise<{ outcome: PutOutcome; announcement: Signed<Announcement> }>
  get(account: Uint8Array): Promise<Signed<Announcement> | undefined>
  healthy(): boolean
  close(): Promise<void>
}

export interface KeyDirectoryInit {
  /** LevelDB folder. */
  dir: string
  /** How far in the future `created` may be (default 10 min): a far-future date would lock the key in. */
  maxSkewMs?: number
  now?: () => number
}

const keyOf = (account: Uint8Array) => `a/${toHex(account)}`

export async function openKeyDirectory(init: KeyDirectoryInit): Promise<KeyDirectory> {
  mkdirSync(init.dir, { recursive: true })
  const db = new ClassicLevel<string, Uint8Array>(init.dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
  await db.open()
  const now = init.now ?? Date.now
  const maxSkewMs = init.maxSkewMs ?? 600_000
  // Per-account queue: read-compare-write must not interleave for one account.
  const queues = new Map<string, Promise<unknown>>()

  async function get(account: Uint8Array): Promise<Signed<Announcement> | undefined> {
    const v = await db.get(keyOf(account))
    if (v === undefined) return undefined
    const stored = decodeCanonical(v) as { bytes: Uint8Array; seal: unknown }
    const cid: CID = cidOf(stored.bytes)
    return { record: decodeAnnouncement(stored.bytes), bytes: stored.bytes, cid, seal: parseSeal(stored.seal) }
  }

  async function store(signed: Signed<Announcement>): Promise<PutOutcome> {
    const current = await get(signed.record.account)
    if (current && bytesEqual(current.bytes, signed.bytes)) return 'unchanged'
    if (current && signed.record.created <= current.record.created)
      throw new ConflictError(
        `the directory holds a newer announcement for ${toAddress(signed.record.account)} (created ${current.record.created}); announce with a later created`,
        { details: { created: current.record.created, cid: current.cid.toString() } },
      )
    await db.put(keyOf(signed.record.account), encodeCanonical({ bytes: signed.bytes, seal: signed.seal }), {
      sync: true,
    })
    return current ? 'replaced' : 'created'
  }

  return {
    async put(input) {
      const signed = verifyAnnouncement(input)
      const limit = now() + maxSkewMs
      if (signed.record.created > limit)
        throw new InvalidInputError(`announcement created ${signed.record.created} is in the future (now ${now()})`)
      const k = keyOf(signed.record.account)
      const run = (queues.get(k) ?? Promise.resolve()).catch(() => undefined).then(() => store(signed))
      queues.set(k, run)
      try {
        return { outcome: await run, announcement: signed }
      } finally {
        if (queues.get(k) === run) queues.delete(k)
      }
    },
    get,
    healthy: () => db.status === 'open',
    close: () => db.close(),
  }
}
