/**
 * Appending to a timeline: split + encrypt each event (the encryption module), link the batch after
 * the current head, sign it with ONE signer call (core `signEvents`: a seal over a Merkle root), and
 * send it in one DAG-CBOR request. A 409 ERR_CONFLICT carries the node's head: the batch is re-linked
 * and re-signed after it (bodies are not re-encrypted: the AD does not cover seq/prev), a bounded
 * number of times. Network failures move on to the next replica.
 */
import {
  bytesEqual,
  type CID,
  ConflictError,
  cidOf,
  type EventDraft,
  encodeCanonical,
  type Head,
  InvalidInputError,
  linkEvents,
  parseCid,
  type SignedCapability,
  signEvents,
  toAccountId,
} from '@ddc/core'
import { type Context, onReplicas, timelineKey } from './context.js'
import { RebaseExhaustedError } from './errors.js'
import type { AppendContext, AppendedEvent, EventInput } from './hooks.js'
import type { Replica } from './locate.js'
import { readHead } from './read.js'
import { isClearType } from './system-events.js'
import { call, sleep } from './transport.js'

export interface AppendOptions {
  /** Append to another account's timeline, as a delegate holding `capability` (root first). */
  owner?: Uint8Array | string
  capability?: readonly SignedCapability[]
  signal?: AbortSignal
}

interface Prepared {
  draft: EventDraft
  body?: Uint8Array
  index: number
}

const newId = () => globalThis.crypto.randomUUID()

async function prepare(
  ctx: Context,
  bucket: string,
  owner: Uint8Array,
  inputs: readonly EventInput[],
  opts: AppendOptions,
) {
  const actx: AppendContext = { bucket, owner }
  const delegate = !bytesEqual(owner, ctx.signer.accountId)
  let capCid: CID | undefined
  if (delegate) {
    const leaf = opts.capability?.[opts.capability.length - 1]
    if (!leaf) throw new InvalidInputError("appending to another account's timeline needs a capability chain")
    capCid = leaf.cid
  }
  const out: Prepared[] = []
  for (let index = 0; index < inputs.length; index++) {
    const input = await ctx.hooks.beforeEncrypt(inputs[index]!, actx)
    if (input === null) continue
    if (!input.type || typeof input.data !== 'object' || input.data === null)
      throw new InvalidInputError(`event ${index} needs a type and a data object`)
    const meta = { bucket, owner, id: input.id ?? newId(), type: input.type }
    const draft: EventDraft = { ...meta, ts: input.ts ?? Date.now() }
    let body: Uint8Array | undefined
    if (ctx.module && ctx.keys && !isClearType(input.type)) {
      const sealed = await ctx.module.encrypt({ ...meta, data: input.data }, ctx.keys)
      if (sealed.pub) draft.pub = sealed.pub
      draft.enc = sealed.enc
      draft.scopes = sealed.scopes
      draft.body = cidOf(sealed.body)
      body = sealed.body
    } else if (Object.keys(input.data).length > 0) {
      draft.pub = input.data
    }
    if (delegate) {
      draft.signer = ctx.signer.accountId
      draft.cap = capCid!
    }
    out.push(body ? { draft, body, index } : { draft, index })
  }
  return { prepared: out, actx }
}

function headOf(details: Record<string, unknown> | undefined): Head | null | undefined {
  const h = details?.head as { seq: number; cid: string } | null | undefined
  if (h === undefined) return undefined
  return h === null ? null : { seq: h.seq, cid: parseCid(h.cid) }
}

/**
 * Appends `inputs` to one timeline in one batch; answers per input (null where a hook dropped it).
 */
export async function appendBatch(
  ctx: Context,
  bucket: string,
  inputs: readonly EventInput[],
  opts: AppendOptions = {},
): Promise<(AppendedEvent | null)[]> {
  if (inputs.length === 0) return []
  const owner = opts.owner === undefined ? ctx.owner : toAccountId(opts.owner)
  // A session key appends to its wallet's timeline under the session capability.
  if (!opts.capability && ctx.capability && !bytesEqual(owner, ctx.signer.accountId))
    opts = { ...opts, capability: ctx.capability }
  const { prepared, actx } = await prepare(ctx, bucket, owner, inputs, opts)
  const results: (AppendedEvent | null)[] = inputs.map(() => null)
  if (prepared.length === 0) return results
  const key = timelineKey(bucket, owner)
  const caps = opts.capability?.length ? [opts.capability.map((c) => ({ cap: c.bytes, seal: c.seal }))] : undefined

  const attempt = async (r: Replica) => {
    let head = ctx.heads.get(key)
    if (head === undefined) head = await readHead(ctx, bucket, owner, opts.signal, r)
    for (let rebase = 0; ; rebase++) {
      const linked = linkEvents(
        head,
        prepared.map((p) => p.draft),
      )
      await ctx.hooks.beforeSign(
        linked.map((l) => l.envelope),
        actx,
      )
      const signed = await signEvents(ctx.signer, linked)
      const events = signed.map((s, k) => {
        const body = prepared[k]!.body
        return body ? { env: s.bytes, seal: s.seal, body } : { env: s.bytes, seal: s.seal }
      })
      const raw = encodeCanonical(caps ? { events, caps } : { events })
      try {
        await call(
          `${r.url}/events`,
          { raw, timeoutMs: ctx.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) },
          ctx.fetch,
        )
      } catch (err) {
        if (!(err instanceof ConflictError)) {
          ctx.heads.delete(key)
          throw err
        }
        const current = headOf(err.details)
        if (rebase >= ctx.maxRebases || current === undefined)
          throw new RebaseExhaustedError(
            `timeline kept moving: gave up after ${rebase + 1} attempts (${err.message})`,
            { cause: err, details: { ...err.details, attempts: rebase + 1 } },
          )
        // Back off with jitter so racing writers spread out; a head that did not move is re-read.
        await sleep(Math.random() * 10 * 2 ** Math.min(rebase, 6), opts.signal)
        head =
          current && head && current.seq === head.seq && current.cid.equals(head.cid)
            ? await readHead(ctx, bucket, owner, opts.signal, r)
            : current
        continue
      }
      const last = signed[signed.length - 1]!
      ctx.heads.set(key, { seq: last.envelope.seq, cid: last.cid })
      return signed
    }
  }
  // One client appends to one timeline one batch at a time (racing itself would only cause conflicts).
  const prior = ctx.locks.get(key) ?? Promise.resolve()
  const run = prior.then(() => onReplicas(ctx, bucket, owner, attempt, opts.signal))
  const done = run.then(
    () => undefined,
    () => undefined,
  )
  ctx.locks.set(key, done)
  void done.then(() => {
    if (ctx.locks.get(key) === done) ctx.locks.delete(key)
  })
  const signed = await run
  const appended = signed.map((s) => ({ cid: s.cid, seq: s.envelope.seq, id: s.envelope.id, type: s.envelope.type }))
  prepared.forEach((p, k) => {
    results[p.index] = appended[k]!
  })
  await ctx.hooks.afterAppend(appended, actx)
  return results
}
