/** The viewer's single-page app: hash routing, search, and the page renderers. */
import { api, enc } from './api.js'
import * as chain from './chain.js'
import * as data from './data.js'
import { h, link } from './dom.js'

type Page = (parts: string[], q: URLSearchParams) => Promise<HTMLElement>

const routes: Record<string, Page> = {
  '': () => chain.overview(),
  blocks: (_p, q) => chain.blocks(q),
  block: ([id]) => chain.block(id!),
  tx: ([hash]) => chain.tx(hash!),
  anchors: (_p, q) => chain.anchors(q),
  account: ([a]) => chain.account(a!),
  bucket: ([b], q) => data.bucket(b!, q),
  timeline: ([b, o], q) => data.timeline(b!, o!, q),
  event: ([cid], q) => data.event(cid!, q),
  search: (_p, q) => searchPage(q.get('q') ?? ''),
}

let generation = 0

async function render(): Promise<void> {
  const root = document.getElementById('app')!
  const raw = location.hash.replace(/^#\/?/, '')
  const [path = '', query = ''] = raw.split('?')
  const [name = '', ...parts] = path.split('/').filter(Boolean).map(decodeURIComponent)
  const page = routes[name]
  const gen = ++generation
  for (const a of Array.from(document.querySelectorAll('header nav a')))
    a.classList.toggle('active', a.getAttribute('href') === `#/${name}`)
  if (!page) {
    root.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, 'No such page. ', link('#/', 'Back to the overview')))
    return
  }
  root.classList.add('loading')
  delete root.dataset.page
  try {
    const el = await page(parts, new URLSearchParams(query))
    if (gen === generation) {
      root.replaceChildren(el)
      root.dataset.page = name || 'overview'
    }
  } catch (err) {
    if (gen === generation)
      root.replaceChildren(
        h('h1', {}, 'Could not load this page'),
        h('p', { class: 'error' }, (err as Error).message),
        h('p', {}, link('#/', 'Back to the overview')),
      )
  } finally {
    if (gen === generation) root.classList.remove('loading')
  }
}

async function searchPage(q: string): Promise<HTMLElement> {
  const r = await api<{ matches: { kind: string; id: string; route: string }[] }>(`/search?q=${enc(q)}`)
  if (r.matches.length === 1) {
    location.replace(r.matches[0]!.route)
    return h('p', { class: 'muted' }, 'Opening…')
  }
  return h(
    'div',
    {},
    h('h1', {}, 'Search'),
    r.matches.length === 0
      ? h(
          'p',
          {},
          'Nothing matches ',
          h('code', {}, q),
          '. Try a block number or hash, a transaction hash, an address, an event CID or a bucket id.',
        )
      : h('ul', {}, ...r.matches.map((m) => h('li', {}, link(m.route, `${m.kind} ${m.id}`)))),
  )
}

document.getElementById('search')?.addEventListener('submit', (ev) => {
  ev.preventDefault()
  const input = document.getElementById('q') as HTMLInputElement
  const q = input.value.trim()
  if (q) location.hash = `#/search?q=${enc(q)}`
})
window.addEventListener('hashchange', () => void render())
void render()
