/**
 * Renders a service's OpenAPI 3.1 document as a Markdown API reference (docs/api/*.md), so the
 * reference is generated from the same schemas that validate requests and cannot drift from them.
 * Deterministic: no servers, ports or dates, paths and tags in document order.
 */

type Json = Record<string, unknown>

interface Parameter {
  name: string
  in: string
  required?: boolean
  description?: string
  schema?: Json
}

interface Operation {
  summary?: string
  description?: string
  tags?: string[]
  parameters?: Parameter[]
  requestBody?: { content?: Record<string, { schema?: Json }> }
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Json }> }>
}

export interface OpenApiDocument {
  info: { title: string; description?: string; version?: string }
  tags?: { name: string; description?: string }[]
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, Json> }
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete']

/** Table cells hold one line; pipes would end the cell. */
const cell = (s: string | undefined) => (s ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|')

/** A short type name for a schema: `integer ≥ 0`, `string (binary)`, `Event`, `Event[]`, `a \| b`. */
export function typeOf(schema: Json | undefined): string {
  if (!schema) return ''
  const ref = schema.$ref
  if (typeof ref === 'string') return ref.slice(ref.lastIndexOf('/') + 1)
  for (const k of ['anyOf', 'oneOf'] as const) {
    const alts = schema[k]
    if (Array.isArray(alts)) return alts.map((a) => typeOf(a as Json)).join(' | ')
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ')
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any')
  if (type === 'array') return `${typeOf(schema.items as Json | undefined) || 'any'}[]`
  const notes: string[] = []
  if (typeof schema.format === 'string') notes.push(schema.format)
  if (typeof schema.minimum === 'number') notes.push(`≥ ${schema.minimum}`)
  if (typeof schema.maximum === 'number') notes.push(`≤ ${schema.maximum}`)
  if (typeof schema.maxLength === 'number') notes.push(`≤ ${schema.maxLength} chars`)
  return notes.length ? `${type} (${notes.join(', ')})` : type
}

function operation(method: string, path: string, op: Operation): string[] {
  const out = [`### \`${method.toUpperCase()} ${path}\``, '']
  if (op.summary) out.push(op.summary, '')
  if (op.description) out.push(op.description, '')
  const params = op.parameters ?? []
  if (params.length) {
    out.push('| parameter | in | type | required | description |', '| --- | --- | --- | --- | --- |')
    for (const p of params)
      out.push(
        `| \`${p.name}\` | ${p.in} | ${cell(typeOf(p.schema))} | ${p.required ? 'yes' : 'no'} | ${cell(p.description ?? (p.schema?.description as string | undefined))} |`,
      )
    out.push('')
  }
  const body = op.requestBody?.content
  if (body) {
    out.push('Request body:', '')
    for (const [type, c] of Object.entries(body)) out.push(`- \`${type}\`: ${cell(typeOf(c.schema)) || 'any'}`)
    out.push('')
  }
  const responses = Object.entries(op.responses ?? {})
  if (responses.length) {
    out.push('| status | body | description |', '| --- | --- | --- |')
    for (const [status, r] of responses) {
      const types = Object.entries(r.content ?? {}).map(([t, c]) => `${typeOf(c.schema) || 'any'} (\`${t}\`)`)
      const description = r.description === 'Default Response' ? '' : r.description
      out.push(`| ${status} | ${cell(types.join(', '))} | ${cell(description)} |`)
    }
    out.push('')
  }
  return out
}

function schemaSection(name: string, schema: Json): string[] {
  const out = [`### ${name}`, '']
  if (typeof schema.description === 'string') out.push(schema.description, '')
  const props = schema.properties as Record<string, Json> | undefined
  if (!props) return [...out, `\`${typeOf(schema)}\``, '']
  const required = new Set((schema.required as string[] | undefined) ?? [])
  out.push('| field | type | required | description |', '| --- | --- | --- | --- |')
  for (const [field, s] of Object.entries(props))
    out.push(
      `| \`${field}\` | ${cell(typeOf(s))} | ${required.has(field) ? 'yes' : 'no'} | ${cell(s.description as string | undefined)} |`,
    )
  return [...out, '']
}

export function renderApiReference(doc: OpenApiDocument, opts: { intro?: string } = {}): string {
  const out = [`# ${doc.info.title} — API reference`, '']
  out.push("<!-- Generated from the service's OpenAPI document by `npm run docs:api`; do not edit by hand. -->", '')
  if (doc.info.description) out.push(doc.info.description, '')
  if (opts.intro) out.push(opts.intro, '')
  const byTag = new Map<string, [string, string, Operation][]>()
  for (const t of doc.tags ?? []) byTag.set(t.name, [])
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      const tag = op.tags?.[0] ?? 'other'
      if (!byTag.has(tag)) byTag.set(tag, [])
      byTag.get(tag)!.push([method, path, op])
    }
  const described = new Map((doc.tags ?? []).map((t) => [t.name, t.description]))
  for (const [tag, ops] of byTag) {
    if (ops.length === 0) continue
    out.push(`## ${tag}`, '')
    const d = described.get(tag)
    if (d) out.push(d, '')
    for (const [method, path, op] of ops) out.push(...operation(method, path, op))
  }
  const schemas = Object.entries(doc.components?.schemas ?? {})
  if (schemas.length) {
    out.push('## Schemas', '')
    for (const [name, s] of schemas) out.push(...schemaSection(name, s))
  }
  return `${out.join('\n').trimEnd()}\n`
}
