/** Tiny DOM helpers: `h()` builds elements (text is always set as text, never as HTML). */

export type Child = Node | string | number | null | undefined | false | Child[]
export type Attrs = Record<string, string | number | boolean | undefined | ((ev: Event) => void)>

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v)
    else if (k === 'class') el.className = String(v)
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  append(el, children)
  return el
}

function append(el: HTMLElement, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue
    if (Array.isArray(c)) append(el, c)
    else el.append(c instanceof Node ? c : String(c))
  }
}

export const link = (href: string, text: Child, title?: string) => h('a', { href, title }, text)

/** A hash or CID shortened for tables; the full value stays in the title. */
export function short(s: string | null | undefined, keep = 10): string {
  if (!s) return '—'
  return s.length <= keep * 2 + 1 ? s : `${s.slice(0, keep)}…${s.slice(-6)}`
}

export function time(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')
}

/** A planck amount as tokens (string arithmetic, no float rounding). */
export function amount(planck: string | number | undefined, decimals = 10, symbol = 'CERE'): string {
  if (planck === undefined) return '—'
  const s = String(planck).padStart(decimals + 1, '0')
  const whole = s.slice(0, -decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')
  const frac = s.slice(-decimals).replace(/0+$/, '')
  return `${whole}${frac ? `.${frac}` : ''} ${symbol}`
}

export function table(headers: string[], rows: Child[][], empty = 'Nothing here yet.'): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty)
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', {}, t)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  )
}

/** A definition list of label → value. */
export function fields(pairs: [string, Child][]): HTMLElement {
  return h('dl', { class: 'fields' }, ...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))
}

export const badge = (text: string, kind = '') => h('span', { class: `badge ${kind}`.trim() }, text)
export const mono = (text: string | number, title?: string) => h('code', { title }, String(text))
export const pre = (value: unknown) => h('pre', { class: 'json' }, JSON.stringify(value, null, 2))
export const card = (title: string, ...body: Child[]) => h('section', { class: 'card' }, h('h2', {}, title), ...body)
