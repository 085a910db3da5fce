import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidInputError } from '@ddc/core'
import { compileScopeMap, mergeFields, parseField } from './scope.js'

const map = compileScopeMap({
  page_view: {
    scopes: { profile: ['email', 'name'], activity: ['page', 'action', '/ctx/device/os'] },
    unmapped: 'public',
  },
  '*': { scopes: { all: ['secret'] }, unmapped: 'rest' },
})

const rebuild = (pub: Record<string, unknown> | undefined, parts: Iterable<Record<string, unknown>>) => {
  const out = mergeFields({}, pub ?? {})
  for (const p of parts) mergeFields(out, p)
  return out
}

describe('scope map', () => {
  it('splits top-level and pointer fields into their scopes and leaves the rest public', () => {
    const data = {
      email: 'a@x',
      name: 'A',
      page: '/',
      ctx: { device: { os: 'linux', model: 'T14' }, lang: 'en' },
      n: 1,
    }
    const { pub, scopes } = map.split('page_view', data)
    assert.deepEqual(Object.fromEntries(scopes), {
      profile: { email: 'a@x', name: 'A' },
      activity: { page: '/', ctx: { device: { os: 'linux' } } },
    })
    assert.deepEqual(pub, { ctx: { device: { model: 'T14' }, lang: 'en' }, n: 1 })
  })

  it('rebuilds nested objects exactly when every part is merged back', () => {
    const data = {
      email: 'a@x',
      ctx: { device: { os: 'linux' }, empty: {} },
      list: [1, { a: 2 }],
      bytes: new Uint8Array([1, 2]),
    }
    const { pub, scopes } = map.split('page_view', data)
    assert.deepEqual(pub, { ctx: { empty: {} }, list: [1, { a: 2 }], bytes: new Uint8Array([1, 2]) })
    assert.deepEqual(rebuild(pub, scopes.values()), data)
  })

  it('keeps maps that were empty before the split', () => {
    const data = { ctx: { device: {} }, e: {} }
    const { pub, scopes } = map.split('page_view', data)
    assert.deepEqual(pub, data)
    assert.equal(scopes.size, 0)
  })

  it('does not change the input event', () => {
    const data = { email: 'a@x', ctx: { device: { os: 'linux', model: 'x' } } }
    const before = structuredClone(data)
    map.split('page_view', data)
    assert.deepEqual(data, before)
  })

  it('leaves out scopes that received no field', () => {
    const { pub, scopes } = map.split('page_view', { page: '/' })
    assert.equal(pub, undefined)
    assert.deepEqual([...scopes.keys()], ['activity'])
  })

  it("uses the '*' rule for other event types and sends unmapped fields to the named scope", () => {
    const { pub, scopes } = map.split('click', { secret: 1, other: 2 })
    assert.equal(pub, undefined)
    assert.deepEqual(Object.fromEntries(scopes), { all: { secret: 1 }, rest: { other: 2 } })
  })

  it('merges unmapped fields into a scope that also names fields', () => {
    const m = compileScopeMap({ t: { scopes: { a: ['/x/y'] }, unmapped: 'a' } })
    const { scopes } = m.split('t', { x: { y: 1, z: 2 }, w: 3 })
    assert.deepEqual(Object.fromEntries(scopes), { a: { x: { y: 1, z: 2 }, w: 3 } })
  })

  it("refuses an event with unmapped fields when the rule says 'error'", () => {
    const m = compileScopeMap({ t: { scopes: { a: ['x'] }, unmapped: 'error' } })
    assert.deepEqual(Object.fromEntries(m.split('t', { x: 1 }).scopes), { a: { x: 1 } })
    assert.throws(
      () => m.split('t', { x: 1, y: 2 }),
      (e: Error) => e instanceof InvalidInputError && /y/.test(e.message),
    )
  })

  it("refuses an event type without a rule when there is no '*'", () => {
    const m = compileScopeMap({ t: { scopes: {}, unmapped: 'public' } })
    assert.throws(() => m.split('other', {}), InvalidInputError)
  })

  it('refuses a scope map with a field in two scopes', () => {
    assert.throws(
      () => compileScopeMap({ t: { scopes: { a: ['email'], b: ['email'] }, unmapped: 'public' } }),
      (e: Error) => e instanceof InvalidInputError && /one scope only/.test(e.message),
    )
  })

  it('refuses fields that overlap through a pointer, or repeat', () => {
    for (const scopes of [
      { a: ['/ctx'], b: ['/ctx/os'] },
      { a: ['ctx'], b: ['/ctx/os'] },
      { a: ['x', '/x'] },
      { a: ['x', 'x'] },
    ]) {
      assert.throws(
        () => compileScopeMap({ t: { scopes, unmapped: 'public' } }),
        InvalidInputError,
        JSON.stringify(scopes),
      )
    }
    // Siblings are fine.
    compileScopeMap({ t: { scopes: { a: ['/ctx/os'], b: ['/ctx/lang'] }, unmapped: 'public' } })
  })

  it('refuses malformed rules', () => {
    const bad: unknown[] = [
      null,
      { t: null },
      { t: { scopes: { a: 'email' }, unmapped: 'public' } },
      { t: { scopes: { a: [1] }, unmapped: 'public' } },
      { t: { scopes: { 'bad name': ['x'] }, unmapped: 'public' } },
      { t: { scopes: { public: ['x'] }, unmapped: 'error' } },
      { t: { scopes: {}, unmapped: 'not a scope' } },
      { t: { scopes: {}, unmapped: 'public', extra: 1 } },
      { t: { scopes: { a: ['/a~2b'] }, unmapped: 'public' } },
      { t: { scopes: { a: [''] }, unmapped: 'public' } },
    ]
    for (const m of bad) assert.throws(() => compileScopeMap(m), InvalidInputError, JSON.stringify(m))
  })

  it('reads RFC 6901 escapes', () => {
    assert.deepEqual(parseField('/a~1b/c~0d'), ['a/b', 'c~d'])
    assert.deepEqual(parseField('/'), [''])
    assert.deepEqual(parseField('plain'), ['plain'])
    const m = compileScopeMap({ t: { scopes: { s: ['/a~1b'] }, unmapped: 'public' } })
    assert.deepEqual(Object.fromEntries(m.split('t', { 'a/b': 1, a: { b: 2 } }).scopes), { s: { 'a/b': 1 } })
  })

  it('refuses a pointer that goes through an array rather than leaving it in the clear', () => {
    const m = compileScopeMap({ t: { scopes: { s: ['/items/0'] }, unmapped: 'public' } })
    assert.throws(
      () => m.split('t', { items: ['secret'] }),
      (e: Error) => e instanceof InvalidInputError && /array/.test(e.message),
    )
    // A scalar where a map was expected holds no such field.
    assert.deepEqual(m.split('t', { items: 'x' }).pub, { items: 'x' })
  })

  it('keeps a "__proto__" field as data and never touches Object.prototype', () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}, "email": "a@x"}')
    const m = compileScopeMap({ t: { scopes: { s: ['/__proto__/polluted'] }, unmapped: 'public' } })
    const { pub, scopes } = m.split('t', data)
    const merged = rebuild(pub, scopes.values())
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
    assert.deepEqual(Object.keys(merged).sort(), ['__proto__', 'email'])
    assert.deepEqual(Object.getOwnPropertyDescriptor(merged, '__proto__')?.value, { polluted: true })
  })

  it('keeps the value already present when untrusted parts collide', () => {
    assert.deepEqual(mergeFields({ a: 1, m: { x: 1 } }, { a: 2, m: { x: 2, y: 3 } }), { a: 1, m: { x: 1, y: 3 } })
  })
})
