import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cidOf, encodeCanonical, utf8 } from '@ddc/core'
import { formatAnchorRemark, formatCidRemark, MAX_REMARK_BYTES, parseRemark, tryParseRemark } from './remark.js'

const root = cidOf(encodeCanonical({ heads: ['a'] }))
const raw = cidOf(utf8('blob'), 0x55)

describe('DDC remark payloads', () => {
  it('formats and parses anchors and CID remarks back to the same values', () => {
    const text = formatAnchorRemark({ root, count: 12, period: 29_000_000 })
    assert.equal(text, `ddc:anchor:v1:${root}:12:29000000`)
    assert.deepEqual(parseRemark(text), {
      type: 'anchor',
      anchor: { kind: 'ddc-anchor', v: 1, root, count: 12, period: 29_000_000 },
    })
    const noPeriod = formatAnchorRemark({ root, count: 1 })
    assert.deepEqual(parseRemark(utf8(noPeriod)), {
      type: 'anchor',
      anchor: { kind: 'ddc-anchor', v: 1, root, count: 1 },
    })
    assert.equal(formatCidRemark(raw), `ddc:cid:v1:${raw}`)
    assert.deepEqual(parseRemark(formatCidRemark(raw)), { type: 'cid', cid: raw })
    assert.ok(formatAnchorRemark({ root, count: 1, period: 1 }).length <= MAX_REMARK_BYTES)
  })

  it('refuses malformed payloads', () => {
    const bad = [
      'hello',
      'ddc:anchor:v2:x:1',
      'ddc:thing:v1:x',
      `ddc:anchor:v1:${root}`,
      `ddc:anchor:v1:${root}:0`,
      `ddc:anchor:v1:${root}:01`,
      `ddc:anchor:v1:${root}:-1`,
      `ddc:anchor:v1:${root}:1:1.5`,
      `ddc:anchor:v1:${root}:1:2:3`,
      `ddc:anchor:v1:${root} :1`,
      `ddc:anchor:v1:${root.toString().toUpperCase()}:1`,
      `ddc:anchor:v1:${root.toV1().toString().slice(0, -2)}:1`,
      'ddc:anchor:v1:QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG:1',
      `ddc:cid:v1:${raw}:extra`,
      `ddc:cid:v1:${root.toString(/* base32 */)}x`,
      `DDC:cid:v1:${raw}`,
      `ddc:cid:v1:${'b'.repeat(200)}`,
    ]
    for (const text of bad) {
      assert.throws(() => parseRemark(text), { code: 'ERR_INVALID_INPUT' }, text)
      assert.equal(tryParseRemark(text), undefined)
    }
    assert.throws(() => parseRemark(new Uint8Array([0x64, 0x64, 0x63, 0x3a, 0xff])), { code: 'ERR_INVALID_INPUT' })
    assert.throws(() => formatAnchorRemark({ root, count: 0 }), { code: 'ERR_INVALID_INPUT' })
    assert.throws(() => formatAnchorRemark({ root, count: 1, period: -1 }), { code: 'ERR_INVALID_INPUT' })
  })
})
