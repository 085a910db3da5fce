/**
 * The anchor tree (DESIGN.md "Anchoring"): what a storage node commits to on chain every period, and
 * the proof that an anchored timeline head is in it. Shared by the node that builds trees and by
 * every verifier (SDK, CLI, viewer), so they all read the same bytes the same way.
 *
 * - A leaf is (bucket, owner, head CID, length), encoded as a DAG-CBOR map tagged `ddc:anchor-leaf:v1`
 *   (so its bytes can never be a CID, the leaf of a seal tree).
 * - The tree is the RFC 9162 tree of merkle.ts (0x00 leaf / 0x01 node prefixes) over leaf encodings.
 * - The tree is stored as DAG-CBOR blocks: chunks that list the leaf hashes (no timeline names, so
 *   the stored tree reveals nothing about private buckets), and a root block
 *   `{type: 'ddc-anchor-tree', v: 1, hash, count, period?, leaves: [chunk CIDs]}`. The root block's
 *   CIDv1 is what goes on chain (`Chain.submitAnchor`).
 * - A proof is the leaf, its index, the audit path and the root block's bytes.
 */
import { toAccountId, toAddress } from './address.js'
import { bytesEqual, fromHex, toHex } from './bytes.js'
import { type CID, cidOf, parseCid } from './cid.js'
import { decodeCanonical, encodeCanonical } from './codec.js'
import { BadProofError, DdcError, InvalidInputError, registerErrorClass } from './errors.js'
import { buildTree, leafHash, rootFromPath } from './merkle.js'

/** No anchor on chain covers this event yet (it is newer than the last anchoring period). */
export class NotAnchoredError extends DdcError {
  override readonly code = 'ERR_NOT_ANCHORED'
}
registerErrorClass(NotAnchoredError)

export const ANCHOR_LEAF_TAG = 'ddc:anchor-leaf:v1'
export const ANCHOR_TREE_TYPE = 'ddc-anchor-tree'
/** Leaf hashes per stored chunk block (4096 × 32 bytes ≈ 130 KiB). */
export const ANCHOR_CHUNK = 4096

/** One timeline head as anchored: the timeline (bucket + owner), its head envelope and its length. */
export interface AnchorLeaf {
  bucket: string
  /** AccountId32 of the timeline owner. */
  owner: Uint8Array
  head: CID
  /** Number of events (head seq + 1). */
  length: number
}

/** The decoded root block. */
export interface AnchorTreeRoot {
  type: typeof ANCHOR_TREE_TYPE
  v: 1
  /** RFC 9162 root hash over the leaves. */
  hash: Uint8Array
  count: number
  period?: number
  leaves: CID[]
}

export interface AnchorBlock {
  cid: CID
  bytes: Uint8Array
}

export interface AnchorTree {
  /** CID of the root block: what the chain holds. */
  root: CID
  rootBlock: AnchorBlock
  /** Every block of the tree, the root block last. */
  blocks: AnchorBlock[]
  /** The leaves in tree order, with their audit paths. */
  leaves: AnchorLeaf[]
  paths: Uint8Array[][]
}

export interface AnchorProof {
  leaf: AnchorLeaf
  index: number
  path: Uint8Array[]
  /** The root block's CID (the on-chain anchor) and bytes. */
  root: CID
  rootBlock: Uint8Array
}

export function encodeAnchorLeaf(leaf: AnchorLeaf): Uint8Array {
  if (!Number.isSafeInteger(leaf.length) || leaf.length < 1)
    throw new InvalidInputError('an anchored head has length ≥ 1')
  return encodeCanonical({
    t: ANCHOR_LEAF_TAG,
    bucket: leaf.bucket,
    owner: leaf.owner,
    head: leaf.head,
    length: leaf.length,
  })
}

const leafOrder = (a: AnchorLeaf, b: AnchorLeaf) =>
  a.bucket === b.bucket ? (toHex(a.owner) < toHex(b.owner) ? -1 : 1) : a.bucket < b.bucket ? -1 : 1

/** Builds and encodes the tree over the given heads (sorted by bucket, then owner). */
export function buildAnchorTree(heads: readonly AnchorLeaf[], opts: { period?: number } = {}): AnchorTree {
  if (heads.length === 0) throw new InvalidInputError('an anchor tree needs at least one timeline head')
  const leaves = [...heads].sort(leafOrder)
  const encoded = leaves.map(encodeAnchorLeaf)
  const tree = buildTree(encoded)
  const blocks: AnchorBlock[] = []
  for (let at = 0; at < encoded.length; at += ANCHOR_CHUNK) {
    const bytes = encodeCanonical({ leaves: encoded.slice(at, at + ANCHOR_CHUNK).map(leafHash) })
    blocks.push({ cid: cidOf(bytes), bytes })
  }
  const root: AnchorTreeRoot = {
    type: ANCHOR_TREE_TYPE,
    v: 1,
    hash: tree.root,
    count: leaves.length,
    ...(opts.period === undefined ? {} : { period: opts.period }),
    leaves: blocks.map((b) => b.cid),
  }
  const bytes = encodeCanonical(root)
  const rootBlock = { cid: cidOf(bytes), bytes }
  blocks.push(rootBlock)
  return { root: rootBlock.cid, rootBlock, blocks, leaves, paths: tree.paths }
}

/** Decodes a root block and checks it is one (throws BadProofError). */
export function decodeAnchorRoot(bytes: Uint8Array): AnchorTreeRoot {
  let r: AnchorTreeRoot
  try {
    r = decodeCanonical<AnchorTreeRoot>(bytes)
  } catch (err) {
    throw new BadProofError('the anchor root block does not decode', { cause: err })
  }
  if (
    !r ||
    r.type !== ANCHOR_TREE_TYPE ||
    r.v !== 1 ||
    !(r.hash instanceof Uint8Array) ||
    r.hash.length !== 32 ||
    !Number.isSafeInteger(r.count) ||
    r.count < 1 ||
    !Array.isArray(r.leaves)
  ) {
    throw new BadProofError('not a ddc-anchor-tree v1 root block')
  }
  return r
}

/**
 * Checks a proof on its own: the root block hashes to `root`, and the leaf, index and path lead to
 * the tree hash it names. Returns the decoded root (count, period). Whether `root` is on chain, in a
 * finalized block, is the caller's question (`Chain.findAnchor`). Throws BadProofError.
 */
export function verifyAnchorProof(proof: AnchorProof): AnchorTreeRoot {
  if (!bytesEqual(cidOf(proof.rootBlock).bytes, proof.root.bytes)) {
    throw new BadProofError(`the anchor root block does not hash to ${proof.root}`)
  }
  const root = decodeAnchorRoot(proof.rootBlock)
  const computed = rootFromPath(encodeAnchorLeaf(proof.leaf), proof.index, root.count, proof.path)
  if (!bytesEqual(computed, root.hash)) {
    throw new BadProofError(`the Merkle path does not lead from the timeline head to anchor ${proof.root}`)
  }
  return root
}

/** The JSON form of a proof (node API, CLI --json, viewer). */
export interface AnchorProofJson {
  bucket: string
  /** SS58 address of the timeline owner. */
  owner: string
  head: { seq: number; cid: string; length: number }
  index: number
  /** 0x-hex audit path elements. */
  path: string[]
  root: string
  /** 0x-hex bytes of the root block. */
  rootBlock: string
}

export function anchorProofToJson(p: AnchorProof, ss58Prefix?: number): AnchorProofJson {
  return {
    bucket: p.leaf.bucket,
    owner: toAddress(p.leaf.owner, ss58Prefix),
    head: { seq: p.leaf.length - 1, cid: p.leaf.head.toString(), length: p.leaf.length },
    index: p.index,
    path: p.path.map(toHex),
    root: p.root.toString(),
    rootBlock: toHex(p.rootBlock),
  }
}

/** Parses the JSON form (throws BadProofError on anything malformed). */
export function anchorProofFromJson(j: AnchorProofJson): AnchorProof {
  try {
    if (j.head.seq !== j.head.length - 1) throw new InvalidInputError('head.seq must be head.length - 1')
    return {
      leaf: { bucket: j.bucket, owner: toAccountId(j.owner), head: parseCid(j.head.cid), length: j.head.length },
      index: j.index,
      path: j.path.map((h) => fromHex(h, 32)),
      root: parseCid(j.root),
      rootBlock: fromHex(j.rootBlock),
    }
  } catch (err) {
    if (err instanceof BadProofError) throw err
    throw new BadProofError(`malformed anchor proof: ${(err as Error).message}`, { cause: err })
  }
}
