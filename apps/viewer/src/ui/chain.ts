/** Chain pages: overview, blocks, block, transaction, anchors, account. */
import { api, enc, type Obj } from './api.js'
import { amount, badge, card, fields, h, link, mono, pre, short, table, time } from './dom.js'

interface BlockRef {
  number: number
  hash: string
}
interface Block extends BlockRef {
  parentHash: string
  stateRoot: string
  extrinsicsRoot: string
  timestamp: number
  author: string
  txHashes: string[]
  events: unknown[]
}

const blockLink = (b: BlockRef | number | undefined) =>
  b === undefined
    ? '—'
    : typeof b === 'number'
      ? link(`#/block/${b}`, `#${b}`)
      : link(`#/block/${b.number}`, `#${b.number}`, b.hash)
export const accountLink = (a: string | undefined) => (a ? link(`#/account/${enc(a)}`, short(a, 8), a) : '—')

function healthBadge(health: unknown): HTMLElement {
  const s = typeof health === 'string' ? health : ((health as Obj | undefined)?.status ?? 'unknown')
  return badge(String(s), s === 'up' ? 'ok' : s === 'down' ? 'bad' : 'warn')
}

function blocksTable(blocks: Block[]): HTMLElement {
  return table(
    ['Block', 'Hash', 'Time', 'Txs', 'Events', 'Author'],
    blocks.map((b) => [
      blockLink(b),
      mono(short(b.hash), b.hash),
      time(b.timestamp),
      b.txHashes?.length ?? 0,
      b.events?.length ?? 0,
      accountLink(b.author),
    ]),
    'No blocks yet.',
  )
}

export async function overview(): Promise<HTMLElement> {
  const [o, blocks] = await Promise.all([api('/overview'), api<Block[]>('/blocks?limit=10')])
  const c = o.chain as Obj
  const clusters = ((o.topology as Obj | null)?.clusters ?? []) as Obj[]
  return h(
    'div',
    {},
    h('h1', {}, 'Overview'),
    h(
      'div',
      { class: 'stats' },
      h('div', { class: 'stat' }, h('span', {}, 'Chain'), h('strong', { id: 'chain-name' }, c.name)),
      h('div', { class: 'stat' }, h('span', {}, 'Best block'), h('strong', { id: 'best-block' }, blockLink(c.best))),
      h(
        'div',
        { class: 'stat' },
        h('span', {}, 'Finalized'),
        h('strong', { id: 'finalized-block' }, blockLink(c.finalized)),
      ),
      h('div', { class: 'stat' }, h('span', {}, 'Clusters'), h('strong', {}, clusters.length)),
    ),
    card(
      'Chain',
      fields([
        ['Kind', c.kind],
        ['Token', `${c.token?.symbol ?? ''} (${c.token?.decimals ?? '?'} decimals)`],
        ['SS58 prefix', c.ss58Prefix],
        ['Genesis hash', mono(c.genesisHash)],
        ['Block interval', c.blockIntervalMs === undefined ? '—' : `${c.blockIntervalMs} ms`],
        ['Authority', accountLink(c.authority)],
        ['Treasury', accountLink(c.treasury)],
      ]),
    ),
    card(
      'Clusters and nodes',
      o.topologyError ? h('p', { class: 'error' }, `CLS: ${o.topologyError}`) : null,
      clusters.length === 0 && !o.topologyError ? h('p', { class: 'muted' }, 'No clusters.') : null,
      ...clusters.map((cl) =>
        h(
          'div',
          { class: 'cluster' },
          h('h3', {}, cl.id, ' ', h('span', { class: 'muted' }, `replication factor ${cl.replicationFactor}`)),
          table(
            ['Node', 'Endpoint', 'Status', 'Health', 'Serving'],
            (cl.nodes as Obj[]).map((n) => [
              mono(short(n.id), n.id),
              n.endpoints?.[0] ?? '—',
              n.status,
              healthBadge(n.health),
              n.serving ? 'yes' : 'no',
            ]),
          ),
        ),
      ),
    ),
    card('Latest blocks', blocksTable(blocks), h('p', {}, link('#/blocks', 'All blocks →'))),
  )
}

export async function blocks(q: URLSearchParams): Promise<HTMLElement> {
  const limit = Number(q.get('limit') ?? 50)
  const list = await api<Block[]>(`/blocks?limit=${limit}`)
  return h(
    'div',
    {},
    h('h1', {}, 'Blocks'),
    card(
      `Latest ${list.length}`,
      blocksTable(list),
      limit < 200 ? h('p', {}, link(`#/blocks?limit=${Math.min(200, limit * 2)}`, 'Show more')) : null,
    ),
  )
}

function txRow(t: Obj): HTMLElement[] | (HTMLElement | string)[] {
  const tx = (t.tx ?? t) as Obj
  const payload = (tx.payload ?? t.payload ?? {}) as Obj
  return [
    link(`#/tx/${t.hash}`, short(t.hash), t.hash),
    String(t.call ?? payload.call ?? '—'),
    accountLink(t.signer ?? payload.signer),
    badge(String(t.status ?? (t.success === false ? 'failed' : 'ok'))),
  ]
}

export function anchorsTable(anchors: Obj[]): HTMLElement {
  return table(
    ['Root', 'Block', 'Tx', 'Submitter', 'Leaves', 'Finalized', 'Time'],
    anchors.map((a) => [
      mono(short(a.root), a.root),
      blockLink(a.block?.number ?? a.blockNumber ?? a.block),
      (a.tx ?? a.txHash) ? link(`#/tx/${a.tx ?? a.txHash}`, short(a.tx ?? a.txHash)) : '—',
      accountLink(a.submitter ?? a.signer),
      a.leaves ?? a.count ?? '—',
      a.finalized === undefined ? '—' : a.finalized ? badge('finalized', 'ok') : badge('pending', 'warn'),
      time(a.timestamp),
    ]),
    'No anchors in this range.',
  )
}

export async function block(id: string): Promise<HTMLElement> {
  const { block: b, txs, anchors } = await api<{ block: Block; txs: Obj[]; anchors: Obj[] }>(`/blocks/${enc(id)}`)
  return h(
    'div',
    {},
    h('h1', {}, `Block #${b.number}`),
    h(
      'p',
      { class: 'pager' },
      b.number > 0 ? link(`#/block/${b.number - 1}`, '← Parent') : null,
      ' ',
      link(`#/block/${b.number + 1}`, 'Next →'),
    ),
    card(
      'Header',
      fields([
        ['Hash', mono(b.hash)],
        ['Parent', b.number > 0 ? link(`#/block/${b.number - 1}`, b.parentHash) : mono(b.parentHash)],
        ['Time', time(b.timestamp)],
        ['Author', accountLink(b.author)],
        ['State root', mono(b.stateRoot)],
        ['Extrinsics root', mono(b.extrinsicsRoot)],
      ]),
    ),
    card(
      `Transactions (${txs.length})`,
      table(['Hash', 'Call', 'Signer', 'Status'], txs.map(txRow), 'No transactions.'),
    ),
    card(`Anchors (${anchors.length})`, anchorsTable(anchors)),
    card(
      `Events (${b.events?.length ?? 0})`,
      b.events?.length ? pre(b.events) : h('p', { class: 'muted' }, 'No events.'),
    ),
  )
}

export async function tx(hash: string): Promise<HTMLElement> {
  const t = await api<Obj>(`/tx/${enc(hash)}`)
  const blockRef = t.block ?? t.blockNumber
  return h(
    'div',
    {},
    h('h1', {}, 'Transaction'),
    card(
      'Summary',
      fields([
        ['Hash', mono(t.hash ?? hash)],
        ['Status', badge(String(t.status ?? '—'))],
        ['Block', blockRef === undefined ? '—' : blockLink(typeof blockRef === 'object' ? blockRef : Number(blockRef))],
        ['Call', String(t.call ?? t.payload?.call ?? t.tx?.payload?.call ?? '—')],
        ['Signer', accountLink(t.signer ?? t.payload?.signer ?? t.tx?.payload?.signer)],
      ]),
    ),
    card('Raw', pre(t)),
  )
}

export async function anchors(q: URLSearchParams): Promise<HTMLElement> {
  const qs = new URLSearchParams()
  for (const k of ['from', 'to']) if (q.get(k)) qs.set(k, q.get(k)!)
  const r = await api<{ from: number; to: number; anchors: Obj[] }>(`/anchors?${qs}`)
  return h(
    'div',
    {},
    h('h1', {}, 'Anchors'),
    h('p', { class: 'muted' }, `Timeline-head Merkle roots anchored in blocks ${r.from}–${r.to}.`),
    card(`Anchors (${r.anchors.length})`, anchorsTable(r.anchors)),
    r.from > 0 ? h('p', {}, link(`#/anchors?from=${Math.max(0, r.from - 1000)}&to=${r.from - 1}`, 'Older →')) : null,
  )
}

export async function account(address: string): Promise<HTMLElement> {
  const { account: a, buckets } = await api<{ account: Obj; buckets: Obj[] }>(`/accounts/${enc(address)}`)
  return h(
    'div',
    {},
    h('h1', {}, 'Account'),
    card(
      'Balances',
      fields([
        ['Address', mono(a.address ?? address)],
        ['Free', amount(a.free)],
        ['Reserved', amount(a.reserved)],
        ['Deposit', amount(a.deposit)],
        ['Nonce', a.nonce ?? '—'],
      ]),
    ),
    card(
      `Buckets (${buckets.length})`,
      table(
        ['Bucket', 'Cluster', 'Public', 'Created'],
        buckets.map((b) => [
          link(`#/bucket/${enc(b.id)}`, b.id),
          b.clusterId,
          b.isPublic ? 'yes' : 'no',
          blockLink(b.createdAt),
        ]),
        'This account owns no buckets.',
      ),
    ),
  )
}
