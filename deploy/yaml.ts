/**
 * The YAML subset docker-compose.yml is written in: block mappings and sequences indented by two
 * spaces, every scalar a JSON literal (a valid YAML flow scalar), `{}` for an empty mapping, `#`
 * comment lines. Small enough to read back without a YAML library, strict enough to refuse anything
 * else, so the checker sees exactly what Compose sees.
 */
import { InvalidInputError } from '@ddc/core'

export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml }

const PLAIN_KEY = /^[A-Za-z0-9_.-]+$/
const key = (k: string) => (PLAIN_KEY.test(k) ? k : JSON.stringify(k))

const isMap = (v: Yaml): v is { [key: string]: Yaml } => typeof v === 'object' && v !== null && !Array.isArray(v)

function lines(value: Yaml, indent: string): string[] {
  if (Array.isArray(value))
    return value.flatMap((item) => {
      if (isMap(item) || Array.isArray(item)) throw new InvalidInputError('sequences hold scalars only')
      return [`${indent}- ${JSON.stringify(item)}`]
    })
  if (!isMap(value)) throw new InvalidInputError('a document is a mapping')
  return Object.entries(value).flatMap(([k, v]) => {
    if (isMap(v) && Object.keys(v).length === 0) return [`${indent}${key(k)}: {}`]
    if (isMap(v) || Array.isArray(v)) return [`${indent}${key(k)}:`, ...lines(v, `${indent}  `)]
    return [`${indent}${key(k)}: ${JSON.stringify(v)}`]
  })
}

export function toYaml(doc: { [key: string]: Yaml }, header: string[] = []): string {
  return `${[...header.map((h) => `# ${h}`.trimEnd()), ...lines(doc, '')].join('\n')}\n`
}

interface Line {
  no: number
  depth: number
  text: string
}

function scalar(text: string, no: number): Yaml {
  if (text === '{}') return {}
  try {
    return JSON.parse(text) as Yaml
  } catch {
    throw new InvalidInputError(`line ${no}: ${text} is not a JSON scalar`)
  }
}

function block(ls: Line[], at: { i: number }, depth: number): Yaml {
  const first = ls[at.i]
  if (!first || first.depth !== depth)
    throw new InvalidInputError(`line ${first?.no ?? 'end'}: expected indent ${depth}`)
  if (first.text.startsWith('- ')) {
    const out: Yaml[] = []
    for (let l = ls[at.i]; l && l.depth === depth && l.text.startsWith('- '); l = ls[++at.i])
      out.push(scalar(l.text.slice(2), l.no))
    return out
  }
  const out: { [key: string]: Yaml } = {}
  for (let l = ls[at.i]; l && l.depth === depth; l = ls[at.i]) {
    const m = /^("(?:[^"\\]|\\.)*"|[A-Za-z0-9_.-]+):(?: (.+))?$/.exec(l.text)
    if (!m) throw new InvalidInputError(`line ${l.no}: expected "key: value" or "key:"`)
    const k = m[1]!.startsWith('"') ? (JSON.parse(m[1]!) as string) : m[1]!
    if (k in out) throw new InvalidInputError(`line ${l.no}: duplicate key ${k}`)
    at.i++
    out[k] = m[2] === undefined ? block(ls, at, depth + 2) : scalar(m[2], l.no)
  }
  return out
}

export function parseYaml(text: string): { [key: string]: Yaml } {
  const ls: Line[] = []
  for (const [n, raw] of text.split('\n').entries()) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue
    const depth = raw.length - raw.trimStart().length
    if (depth % 2 || raw.includes('\t')) throw new InvalidInputError(`line ${n + 1}: indent by two spaces`)
    ls.push({ no: n + 1, depth, text: raw.trim() })
  }
  const at = { i: 0 }
  const doc = block(ls, at, 0)
  if (at.i < ls.length) throw new InvalidInputError(`line ${ls[at.i]!.no}: unexpected indent`)
  if (!isMap(doc)) throw new InvalidInputError('a document is a mapping')
  return doc
}
