/**
 * Scope maps: which fields of an event go into which encrypted scope. A map has one rule per event
 * type (and '*' for the rest); a rule names each scope's fields, by top-level name or RFC 6901 JSON
 * Pointer, and says where the unnamed rest goes: 'public' (envelope.pub), a scope, or 'error'.
 *
 * A scope's plaintext is the sparse part of the event it owns ({ ctx: { device: { os } } } for
 * '/ctx/device/os'), so merging what a reader could open is a deep merge. Pointers traverse maps
 * only; a pointer through an array is refused rather than letting the array go out in the clear.
 */
import { InvalidInputError, LIMITS } from '@ddc/core'
import { isPlainObject, scopeName } from './_parse.js'

export interface ScopeRule {
  /** scope name → fields: 'email' (top-level) or '/ctx/device/os' (JSON Pointer). */
  scopes: Record<string, readonly string[]>
  /** Where fields no scope names go: 'public', the name of a scope, or 'error' to refuse the event. */
  unmapped: string
}

/** event type (or '*' as the fallback) → rule. */
export type ScopeMap = Record<string, ScopeRule>

export const MAX_FIELDS_PER_RULE = 1024

interface Node {
  scope?: string
  children?: Map<string, Node>
}

interface CompiledRule {
  trie: Map<string, Node>
  unmapped: string
}

export interface SplitEvent {
  /** Fields that stay in the clear (absent when none). */
  pub?: Record<string, unknown>
  /** scope → its sparse part of the event; only scopes that received a field. */
  scopes: Map<string, Record<string, unknown>>
}

/** A validated scope map, ready to split events. */
export interface CompiledScopeMap {
  readonly map: ScopeMap
  split(type: string, data: Record<string, unknown>): SplitEvent
}

/** RFC 6901 pointer ('/a/b~1c') or top-level name ('email') → path segments. */
export function parseField(field: string): string[] {
  if (typeof field !== 'string' || field.length === 0)
    throw new InvalidInputError('a scope field must be a non-empty string')
  if (!field.startsWith('/')) return [field]
  return field
    .slice(1)
    .split('/')
    .map((seg) => {
      if (/~[^01]|~$/.test(seg))
        throw new InvalidInputError(`JSON Pointer ${JSON.stringify(field)} has a bad escape (only ~0 and ~1)`)
      return seg.replace(/~1/g, '/').replace(/~0/g, '~')
    })
}

const pointer = (path: readonly string[]): string =>
  `/${path.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`

function compileRule(type: string, value: unknown): { rule: ScopeRule; compiled: CompiledRule } {
  const what = `scope map rule ${JSON.stringify(type)}`
  if (!isPlainObject(value) || !isPlainObject(value.scopes))
    throw new InvalidInputError(`${what} must be { scopes: { name: [fields] }, unmapped }`)
  for (const k of Object.keys(value))
    if (k !== 'scopes' && k !== 'unmapped') throw new InvalidInputError(`${what} has unknown field ${k}`)
  const unmapped = value.unmapped
  if (unmapped !== 'public' && unmapped !== 'error')
    scopeName(unmapped, `${what}.unmapped (public, error or a scope name)`)
  const names = Object.keys(value.scopes)
  if (names.length + 1 > LIMITS.scopes) throw new InvalidInputError(`${what} has more than ${LIMITS.scopes - 1} scopes`)
  const rule: ScopeRule = { scopes: {}, unmapped: unmapped as string }
  const seen: { path: string[]; scope: string }[] = []
  for (const scope of names) {
    scopeName(scope, `${what} scope name`)
    if (scope === 'public' || scope === 'error')
      throw new InvalidInputError(`${what}: '${scope}' is reserved and cannot name a scope`)
    const list = value.scopes[scope]
    if (!Array.isArray(list) || !list.every((f) => typeof f === 'string'))
      throw new InvalidInputError(`${what}.scopes.${scope} must be a list of field names`)
    rule.scopes[scope] = [...list]
    for (const field of list as string[]) {
      const path = parseField(field)
      for (const other of seen) {
        const n = Math.min(path.length, other.path.length)
        if (path.slice(0, n).every((s, i) => s === other.path[i])) {
          throw new InvalidInputError(
            `${what}: field ${pointer(path)} of scope '${scope}' overlaps ${pointer(other.path)} of scope '${other.scope}'; a field may belong to one scope only`,
          )
        }
      }
      seen.push({ path, scope })
      if (seen.length > MAX_FIELDS_PER_RULE)
        throw new InvalidInputError(`${what} names more than ${MAX_FIELDS_PER_RULE} fields`)
    }
  }
  const trie = new Map<string, Node>()
  for (const { path, scope } of seen) {
    let level = trie
    path.forEach((seg, i) => {
      let node = level.get(seg)
      if (!node) {
        node = {}
        level.set(seg, node)
      }
      if (i === path.length - 1) node.scope = scope
      else level = node.children ??= new Map()
    })
  }
  return { rule, compiled: { trie, unmapped: unmapped as string } }
}

/** Validates a scope map (untrusted configuration) and compiles it for splitting. */
export function compileScopeMap(map: unknown): CompiledScopeMap {
  if (!isPlainObject(map)) throw new InvalidInputError('a scope map must be { eventType: { scopes, unmapped } }')
  const rules = new Map<string, CompiledRule>()
  const clean: ScopeMap = {}
  for (const [type, value] of Object.entries(map)) {
    if (type.length === 0 || type.length > LIMITS.type)
      throw new InvalidInputError(`scope map key ${JSON.stringify(type)} must be an event type or '*'`)
    const { rule, compiled } = compileRule(type, value)
    clean[type] = rule
    rules.set(type, compiled)
  }
  return {
    map: clean,
    split(type, data) {
      const rule = rules.get(type) ?? rules.get('*')
      if (!rule)
        throw new InvalidInputError(
          `the scope map has no rule for event type ${JSON.stringify(type)} and no '*' fallback`,
        )
      if (!isPlainObject(data)) throw new InvalidInputError('event data must be a map')
      return splitWith(rule, data)
    },
  }
}

function splitWith(rule: CompiledRule, data: Record<string, unknown>): SplitEvent {
  const scopes = new Map<string, Record<string, unknown>>()
  const carved = carve(data, rule.trie, [], scopes)
  const rest = carved !== undefined && Object.keys(carved).length > 0 ? carved : undefined
  if (rest === undefined) return { scopes }
  if (rule.unmapped === 'public') return { pub: rest, scopes }
  if (rule.unmapped === 'error') {
    throw new InvalidInputError(
      `event has fields no scope names: ${Object.keys(rest).join(', ')} (the scope map says unmapped: 'error')`,
    )
  }
  const into = scopes.get(rule.unmapped)
  scopes.set(rule.unmapped, into ? mergeFields(into, rest) : rest)
  return { scopes }
}

/**
 * Moves every field the trie names from `obj` into `out[scope]` and returns what is left: `obj`
 * itself when nothing was taken, otherwise a copy without the taken fields, or undefined when the
 * taking emptied it. Maps that were empty to begin with stay, so a full merge rebuilds the event.
 */
function carve(
  obj: Record<string, unknown>,
  trie: Map<string, Node>,
  path: string[],
  out: Map<string, Record<string, unknown>>,
): Record<string, unknown> | undefined {
  const keys = Object.keys(obj)
  let rest: Record<string, unknown> | undefined
  let kept = 0
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const value = obj[key]
    const node = trie.get(key)
    let left: unknown = value
    if (node?.scope !== undefined) {
      put(out, node.scope, path, key, value)
      left = undefined
    } else if (node) {
      if (Array.isArray(value)) {
        throw new InvalidInputError(
          `scope field under ${pointer([...path, key])} goes through an array; scope the whole array instead`,
        )
      }
      if (isPlainObject(value)) left = carve(value, node.children!, [...path, key], out)
    }
    if (left !== value && rest === undefined) {
      rest = {}
      for (let j = 0; j < i; j++) setOwn(rest, keys[j]!, obj[keys[j]!])
      kept = i
    }
    if (rest !== undefined && left !== undefined) {
      setOwn(rest, key, left)
      kept++
    }
  }
  if (rest === undefined) return obj
  return kept > 0 ? rest : undefined
}

function put(
  out: Map<string, Record<string, unknown>>,
  scope: string,
  path: readonly string[],
  key: string,
  value: unknown,
): void {
  let target = out.get(scope)
  if (!target) {
    target = {}
    out.set(scope, target)
  }
  for (const seg of path) {
    let next = Object.hasOwn(target, seg) ? target[seg] : undefined
    if (!isPlainObject(next)) {
      next = {}
      setOwn(target, seg, next)
    }
    target = next as Record<string, unknown>
  }
  setOwn(target, key, value)
}

/** Assignment that stays a plain own property even for the key "__proto__". */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}

/**
 * Deep-merges `source` into `target` (mutating `target`, never `source`'s nested maps) and returns it.
 * Parts from one encryption never collide; with untrusted parts the value already present wins.
 */
export function mergeFields(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(source)) {
    const incoming = source[key]
    if (!Object.hasOwn(target, key)) setOwn(target, key, incoming)
    else {
      const present = target[key]
      if (isPlainObject(present) && isPlainObject(incoming)) setOwn(target, key, mergeFields({ ...present }, incoming))
    }
  }
  return target
}
