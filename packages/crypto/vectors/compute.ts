/**
 * Builds the published test vectors from their inputs. `generate.ts` writes the result to v1.json;
 * `v1.test.ts` recomputes every case from the inputs stored in the file and compares the outputs, so
 * the file is checked, not just regenerated. Format: README.md beside this file.
 */
import {
  buildTree,
  cidOf,
  createAccount,
  cryptoReady,
  encodeCanonical,
  fromHex,
  fromUtf8,
  linkEvents,
  parseCid,
  type SigScheme,
  sealBatch,
  sealMessage,
  sealOne,
  toAccountId,
  toHex,
} from '@ddc/core'
import sodium from 'libsodium-wrappers-sumo'
import { adWriter } from '../src/aead.js'
import { encodeAnnouncement } from '../src/announcement.js'
import { encodeGrant } from '../src/grant.js'
import { KeyRing } from '../src/keyring.js'
import { deriveBucketScopeKey, deriveUserScopeKey, keyId } from '../src/keytree.js'
import type { ScopeMap } from '../src/scope.js'
import { STANDARD_MODULE_ID, standardModule } from '../src/standard.js'
import { encryptionKeyPair } from '../src/wrap.js'

const hex = (b: Uint8Array): string => toHex(b)
const bytes = (h: string): Uint8Array => fromHex(h)
const account = (address: string) => ({ address, accountId: hex(toAccountId(address)) })

export interface KeyTreeInput {
  master: string
  bucket: string
  scope: string
  epoch: number
  owner: { address: string; accountId: string }
}

export function keyTreeCase(input: KeyTreeInput) {
  const master = bytes(input.master)
  const bucketKey = deriveBucketScopeKey(master, input)
  const userKey = deriveUserScopeKey(bucketKey, toAccountId(input.owner.address))
  return {
    input,
    output: {
      masterKid: keyId({ level: 'master', key: master }),
      bucketScopeKey: hex(bucketKey.key),
      bucketScopeKid: keyId(bucketKey),
      userScopeKey: hex(userKey.key),
      userScopeKid: keyId(userKey),
    },
  }
}

export interface AeadInput {
  key: string
  module: string
  bucket: string
  owner: string
  id: string
  type: string
  scope: string
  epoch: number
  nonce: string
  fields: Record<string, unknown>
}

export function aeadCase(input: AeadInput) {
  const plaintext = encodeCanonical(input.fields)
  const ad = adWriter(input.module)(
    { bucket: input.bucket, owner: bytes(input.owner), id: input.id, type: input.type },
    input.scope,
    input.epoch,
  ).slice()
  const nonce = bytes(input.nonce)
  const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, bytes(input.key))
  return { input, output: { plaintext: hex(plaintext), ad: hex(ad), sealed: hex(new Uint8Array([...nonce, ...ct])) } }
}

export interface EventInput {
  master: string
  scopeMap: ScopeMap
  bucket: string
  owner: string
  id: string
  type: string
  ts: number
  data: Record<string, unknown>
  /** One per sealed scope, in scope-name order. */
  nonces: string[]
}

export async function eventCase(input: EventInput) {
  const nonces = input.nonces.map(bytes)
  const module = standardModule({ scopes: input.scopeMap, nonce: () => nonces.shift()! })
  const owner = toAccountId(input.owner)
  const keys = new KeyRing({ keys: [{ level: 'master', key: bytes(input.master) }] })
  const sealed = await module.encrypt(
    { bucket: input.bucket, owner, id: input.id, type: input.type, data: input.data },
    keys,
  )
  const bodyCid = cidOf(sealed.body)
  const [linked] = linkEvents(null, [
    {
      bucket: input.bucket,
      owner,
      id: input.id,
      type: input.type,
      ts: input.ts,
      pub: sealed.pub,
      enc: sealed.enc,
      scopes: sealed.scopes,
      body: bodyCid,
    },
  ])
  return {
    input,
    output: {
      pub: sealed.pub ?? null,
      scopes: sealed.scopes,
      body: hex(sealed.body),
      bodyCid: bodyCid.toString(),
      envelope: hex(linked!.bytes),
      envelopeCid: linked!.cid.toString(),
    },
  }
}

export interface SealsInput {
  uri: string
  scheme: SigScheme
  kind: 'event'
  /** Each batch: the CIDs signed together. */
  batches: string[][]
}

export async function sealsCase(input: SealsInput) {
  const signer = createAccount({ uri: input.uri, scheme: input.scheme })
  const batches = []
  for (const batch of input.batches) {
    const cids = batch.map((c) => parseCid(c))
    const seals = await sealBatch(signer, input.kind, cids)
    const root = buildTree(cids.map((c) => c.bytes)).root
    batches.push({
      root: hex(root),
      message: fromUtf8(sealMessage(input.kind, cids.length, root)),
      signature: hex(seals[0]!.sig),
      seals: seals.map((s) => ({ i: s.i, n: s.n, path: s.path.map(hex) })),
    })
  }
  return { input, output: { signer: account(signer.address), batches } }
}

export function x25519Case(input: { encryptionSeed: string }) {
  const pair = encryptionKeyPair(bytes(input.encryptionSeed))
  return { input, output: { publicKey: hex(pair.publicKey), secretKey: hex(pair.secretKey) } }
}

/** The X25519 key of a dev account: its encryptionSeed (core) and the key pair from it. */
export function accountX25519Case(input: { uri: string; scheme: SigScheme }) {
  const signer = createAccount(input)
  const pair = encryptionKeyPair(signer.encryptionSeed)
  return {
    input,
    output: {
      encryptionSeed: hex(signer.encryptionSeed),
      publicKey: hex(pair.publicKey),
      secretKey: hex(pair.secretKey),
    },
  }
}

/**
 * A sealed box is randomized by its ephemeral key; fixing that key makes a vector. This is libsodium's
 * construction (nonce = BLAKE2b-192(epk ‖ rpk), box from the ephemeral secret), and the test opens the
 * result with the ordinary crypto_box_seal_open.
 */
export function wrapCase(input: { key: string; recipientPublicKey: string; ephemeralSeed: string }) {
  const rpk = bytes(input.recipientPublicKey)
  const eph = sodium.crypto_box_seed_keypair(bytes(input.ephemeralSeed))
  const nonce = sodium.crypto_generichash(24, new Uint8Array([...eph.publicKey, ...rpk]), null)
  const box = sodium.crypto_box_easy(bytes(input.key), nonce, rpk, eph.privateKey)
  return { input, output: { wrapped: hex(new Uint8Array([...eph.publicKey, ...box])) } }
}

export interface GrantInput {
  grantor: { uri: string; scheme: SigScheme }
  grantee: string
  bucket: string
  scope: string
  owner?: string
  epoch: number
  kid: string
  wrapped: string
  created: number
  exp: number
}

export async function grantCase(input: GrantInput) {
  const signer = createAccount(input.grantor)
  const record = {
    v: 1 as const,
    grantor: signer.accountId,
    grantee: toAccountId(input.grantee),
    bucket: input.bucket,
    scope: input.scope,
    ...(input.owner === undefined ? {} : { owner: toAccountId(input.owner) }),
    epoch: input.epoch,
    kid: input.kid,
    wrapped: bytes(input.wrapped),
    created: input.created,
    exp: input.exp,
  }
  const cbor = encodeGrant(record)
  const cid = cidOf(cbor)
  const seal = await sealOne(signer, 'grant', cid)
  return { input, output: { cbor: hex(cbor), cid: cid.toString(), signature: hex(seal.sig) } }
}

export async function announcementCase(input: { uri: string; scheme: SigScheme; created: number }) {
  const signer = createAccount({ uri: input.uri, scheme: input.scheme })
  const cbor = encodeAnnouncement({
    v: 1,
    account: signer.accountId,
    x25519: encryptionKeyPair(signer.encryptionSeed).publicKey,
    created: input.created,
  })
  const cid = cidOf(cbor)
  const seal = await sealOne(signer, 'key', cid)
  return { input, output: { cbor: hex(cbor), cid: cid.toString(), signature: hex(seal.sig) } }
}

/** Every case, from fixed inputs; later cases take their inputs from earlier outputs. */
export async function buildVectors() {
  await cryptoReady()
  await sodium.ready
  const alice = createAccount({ uri: '//Alice', scheme: 'ed25519' })
  const bob = createAccount({ uri: '//Bob', scheme: 'ed25519' })
  const master = hex(new Uint8Array(32).map((_, i) => i))
  const keyTree = [
    keyTreeCase({ master, bucket: 'demo-app', scope: 'profile', epoch: 0, owner: account(alice.address) }),
    keyTreeCase({ master, bucket: 'demo-app', scope: 'activity', epoch: 7, owner: account(bob.address) }),
  ]
  const fixedNonce = hex(new Uint8Array(24).map((_, i) => 0xa0 + i))
  const aead = [
    aeadCase({
      key: keyTree[0]!.output.userScopeKey,
      module: STANDARD_MODULE_ID,
      bucket: 'demo-app',
      owner: hex(alice.accountId),
      id: 'evt-0001',
      type: 'page_view',
      scope: 'profile',
      epoch: 0,
      nonce: fixedNonce,
      fields: { email: 'alice@example.com', name: 'Alice' },
    }),
  ]
  const event = await eventCase({
    master,
    scopeMap: {
      page_view: { scopes: { profile: ['email', 'name'], activity: ['page', '/ctx/device/os'] }, unmapped: 'public' },
    },
    bucket: 'demo-app',
    owner: alice.address,
    id: 'evt-0001',
    type: 'page_view',
    ts: 1_700_000_000_000,
    data: {
      email: 'alice@example.com',
      name: 'Alice',
      page: '/pricing',
      ctx: { device: { os: 'linux', model: 'T14' } },
      campaign: 'spring',
    },
    nonces: [hex(new Uint8Array(24).fill(0x11)), hex(new Uint8Array(24).fill(0x22))],
  })
  // Three linked envelopes for the batch of 3: the event above and two all-public ones after it.
  const first = parseCid(event.output.envelopeCid)
  const more = linkEvents({ seq: 0, cid: first }, [
    {
      bucket: 'demo-app',
      owner: alice.accountId,
      id: 'evt-0002',
      type: 'click',
      ts: 1_700_000_000_500,
      pub: { target: 'buy' },
    },
    {
      bucket: 'demo-app',
      owner: alice.accountId,
      id: 'evt-0003',
      type: 'click',
      ts: 1_700_000_001_000,
      pub: { target: 'confirm' },
    },
  ])
  const seals = await sealsCase({
    uri: '//Alice',
    scheme: 'ed25519',
    kind: 'event',
    batches: [[first.toString()], [first.toString(), ...more.map((m) => m.cid.toString())]],
  })
  const x25519 = [
    x25519Case({ encryptionSeed: hex(new Uint8Array(32).fill(0x42)) }),
    accountX25519Case({ uri: '//Bob', scheme: 'ed25519' }),
  ]
  const bobKey = x25519[1]!.output.publicKey
  const wrap = wrapCase({
    key: keyTree[0]!.output.bucketScopeKey,
    recipientPublicKey: bobKey,
    ephemeralSeed: hex(new Uint8Array(32).fill(0xe0)),
  })
  const grant = await grantCase({
    grantor: { uri: '//Alice', scheme: 'ed25519' },
    grantee: bob.address,
    bucket: 'demo-app',
    scope: 'profile',
    epoch: 0,
    kid: keyTree[0]!.output.bucketScopeKid,
    wrapped: wrap.output.wrapped,
    created: 1_700_000_000_000,
    exp: 1_700_086_400_000,
  })
  const announcement = await announcementCase({ uri: '//Bob', scheme: 'ed25519', created: 1_700_000_000_000 })
  return {
    format: 'ddc-crypto-vectors',
    version: 1,
    module: STANDARD_MODULE_ID,
    keyTree,
    aead,
    event,
    seals,
    x25519,
    wrap,
    grant,
    announcement,
  }
}
