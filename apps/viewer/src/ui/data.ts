/** Data pages: bucket (timelines, paginated), timeline (events), event (envelope, seal, body, gateway links). */
import { api, enc, type Obj } from './api.js'
import { accountLink } from './chain.js'
import { badge, card, fields, h, link, mono, pre, short, table, time } from './dom.js'

const cidOf = (c: unknown): string | undefined =>
  typeof c === 'string' ? c : c && typeof c === 'object' && '/' in c ? String((c as Obj)['/']) : undefined

export const timelineHref = (bucket: string, owner: string) => `#/timeline/${enc(bucket)}/${enc(owner)}`
const eventHref = (cid: string, bucket?: string, owner?: string) =>
  `#/event/${enc(cid)}${bucket && owner ? `?bucket=${enc(bucket)}&owner=${enc(owner)}` : ''}`

function healthBadge(health: Obj | string | undefined): HTMLElement {
  const s = typeof health === 'string' ? health : (health?.status ?? 'unknown')
  return badge(String(s), s === 'up' ? 'ok' : s === 'down' ? 'bad' : 'warn')
}

/** Scope names an envelope carries (encrypted parts), or '—'. */
function scopesOf(env: Obj): string {
  const s = env.scopes ?? env.enc
  if (s && typeof s === 'object') return Object.keys(s).join(', ') || '—'
  return cidOf(env.body) ? 'in body' : '—'
}

/** Who signed: a delegate names its capability; otherwise the timeline owner. */
function signerOf(env: Obj): HTMLElement | string {
  if (env.signer) return accountLink(String(env.signer))
  if (env.cap) return h('span', {}, 'delegate ', mono(short(cidOf(env.cap), 6), cidOf(env.cap)))
  return accountLink(env.owner)
}

export async function bucket(id: string, q: URLSearchParams): Promise<HTMLElement> {
  const cursor = q.get('cursor') ?? ''
  const prev = q.getAll('prev')
  const [info, tl] = await Promise.all([
    api<Obj>(`/buckets/${enc(id)}`),
    api<Obj>(
      `/buckets/${enc(id)}/timelines?limit=${Number(q.get('limit') ?? 25)}${cursor ? `&cursor=${enc(cursor)}` : ''}`,
    ).catch((err: Error) => ({ error: err.message }) as Obj),
  ])
  const b = info.bucket as Obj
  const nodes = (info.cluster?.nodes ?? []) as Obj[]
  const pageLink = (c: string, stack: string[], text: string) => {
    const p = new URLSearchParams()
    if (c) p.set('cursor', c)
    for (const s of stack) p.append('prev', s)
    return link(`#/bucket/${enc(id)}?${p}`, text)
  }
  const timelines = (tl.timelines ?? []) as Obj[]
  return h(
    'div',
    {},
    h('h1', {}, `Bucket ${b.id}`),
    card(
      'Bucket',
      fields([
        ['Owner', accountLink(b.owner)],
        ['Access', b.isPublic ? badge('public', 'ok') : badge('private', 'warn')],
        ['Cluster', `${b.clusterId} (replication factor ${info.cluster?.replicationFactor ?? '?'})`],
        ['Settings', mono(JSON.stringify(b.settings ?? {}))],
      ]),
      table(
        ['Node', 'Endpoint', 'Health', 'Latency'],
        nodes.map((n) => [
          mono(short(n.id), n.id),
          n.endpoint ?? n.endpoints?.[0] ?? '—',
          healthBadge(n.health),
          n.health?.latencyMs === undefined ? '—' : `${Math.round(n.health.latencyMs)} ms`,
        ]),
      ),
    ),
    card(
      'Timelines',
      tl.error ? h('p', { class: 'error' }, tl.error) : null,
      tl.error
        ? null
        : table(
            ['Owner', 'Events', 'Head seq', 'Head CID', 'Replicas'],
            timelines.map((t) => [
              link(timelineHref(id, t.owner), short(t.owner, 8), t.owner),
              t.length,
              t.head?.seq ?? '—',
              t.head?.cid ? link(eventHref(t.head.cid, id, t.owner), short(t.head.cid), t.head.cid) : '—',
              (t.replicas ?? []).length,
            ]),
            'No timelines in this bucket yet.',
          ),
      h(
        'p',
        { class: 'pager' },
        cursor ? pageLink(prev[prev.length - 1] ?? '', prev.slice(0, -1), '← Previous') : null,
        ' ',
        tl.next ? pageLink(tl.next, [...prev, cursor], 'Next →') : null,
      ),
    ),
  )
}

export async function timeline(bucketId: string, owner: string, q: URLSearchParams): Promise<HTMLElement> {
  const cursor = q.get('cursor') ?? ''
  const order = q.get('order') === 'asc' ? 'asc' : 'desc'
  const type = q.get('type') ?? ''
  const qs = new URLSearchParams({ limit: String(Number(q.get('limit') ?? 50)), order })
  if (cursor) qs.set('cursor', cursor)
  if (type) qs.set('type', type)
  const r = await api<Obj>(`/buckets/${enc(bucketId)}/timelines/${enc(owner)}/events?${qs}`)
  const events = (r.events ?? []) as Obj[]
  const nav = (extra: Record<string, string>) => {
    const p = new URLSearchParams({ order, ...(type ? { type } : {}), ...extra })
    return `${timelineHref(bucketId, owner)}?${p}`
  }
  return h(
    'div',
    {},
    h('h1', {}, 'Timeline'),
    card(
      'Timeline',
      fields([
        ['Bucket', link(`#/bucket/${enc(bucketId)}`, bucketId)],
        ['Owner', accountLink(owner)],
        ['Length', r.length ?? '—'],
        ['Read from', mono(r.node ?? '—')],
      ]),
    ),
    card(
      `Events (${order === 'desc' ? 'newest first' : 'oldest first'})`,
      h(
        'p',
        { class: 'pager' },
        link(nav({ order: order === 'desc' ? 'asc' : 'desc' }), order === 'desc' ? 'Oldest first' : 'Newest first'),
        type
          ? [
              ' · filtered by type ',
              mono(type),
              ' ',
              link(`${timelineHref(bucketId, owner)}?order=${order}`, '(clear)'),
            ]
          : null,
      ),
      table(
        ['Seq', 'Type', 'Time', 'CID', 'Signer', 'Scopes', ''],
        events.map((e) => {
          const env = (e.envelope ?? {}) as Obj
          return [
            String(e.seq ?? env.seq),
            link(nav({ type: String(env.type) }), String(env.type)),
            time(env.ts),
            link(eventHref(e.cid, bucketId, owner), short(e.cid), e.cid),
            signerOf(env),
            scopesOf(env),
            e.redacted ? badge('redacted', 'bad') : env.type === 'ddc/tombstone' ? badge('tombstone', 'warn') : '',
          ]
        }),
        'No events.',
      ),
      r.next ? h('p', { class: 'pager' }, link(nav({ cursor: r.next }), 'Next page →')) : null,
    ),
  )
}

export async function event(cid: string, q: URLSearchParams): Promise<HTMLElement> {
  const bucketQ = q.get('bucket')
  const ownerQ = q.get('owner')
  const qs = bucketQ && ownerQ ? `?bucket=${enc(bucketQ)}&owner=${enc(ownerQ)}` : ''
  const r = await api<{ node: string; gateway: string; event: Obj }>(`/events/${enc(cid)}${qs}`)
  const e = r.event
  const env = (e.envelope ?? {}) as Obj
  const seal = (e.seal ?? {}) as Obj
  const bodyCid = cidOf(env.body)
  const prev = cidOf(env.prev)
  return h(
    'div',
    {},
    h('h1', {}, 'Event ', e.redacted ? badge('redacted', 'bad') : null),
    card(
      'Envelope',
      fields([
        ['CID', mono(e.cid ?? cid)],
        ['Bucket', link(`#/bucket/${enc(env.bucket)}`, String(env.bucket))],
        ['Timeline', link(timelineHref(env.bucket, env.owner), short(env.owner, 8), env.owner)],
        ['Seq', String(env.seq)],
        ['Previous', prev ? link(eventHref(prev, env.bucket, env.owner), prev) : 'none (first event)'],
        ['Event id', mono(String(env.id ?? '—'))],
        ['Type', String(env.type)],
        ['Client time', time(env.ts)],
        ['Signer', signerOf(env)],
        ['Scopes', scopesOf(env)],
        [
          'Body CID',
          bodyCid
            ? h(
                'span',
                {},
                mono(bodyCid),
                ' ',
                h('a', { href: `${r.node}/ipfs/${bodyCid}?format=raw`, target: '_blank' }, 'raw block'),
              )
            : '—',
        ],
        [
          'Raw envelope',
          h('a', { href: `${r.gateway}?format=raw`, target: '_blank', id: 'raw-link' }, `${r.node}/ipfs/${short(cid)}`),
        ],
        ['Served by', mono(r.node)],
      ]),
    ),
    card(
      'Seal',
      fields([
        ['Scheme', String(seal.scheme ?? '—')],
        ['Signature', mono(String(seal.sig ?? '—'))],
        ['Batch', seal.n === undefined ? '—' : `leaf ${seal.i} of ${seal.n}`],
        [
          'Merkle path',
          (seal.path ?? []).length ? h('div', {}, ...(seal.path as string[]).map((p) => h('div', {}, mono(p)))) : '—',
        ],
      ]),
    ),
    card('Envelope JSON', pre(env)),
    e.body !== undefined ? card('Body', pre(e.body)) : null,
  )
}
