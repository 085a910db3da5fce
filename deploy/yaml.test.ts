// The YAML subset of docker-compose.yml: what toYaml writes parses back to the same value, and the
// reader refuses what it does not understand rather than guessing.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseYaml, toYaml } from './yaml.js'

describe('compose YAML subset', () => {
  it('reads back what it writes: nested mappings, sequences, JSON scalars, quoted keys, {}', () => {
    const doc = {
      services: {
        a: {
          environment: { X: '{"k":["v"]}', Y: `\${VAR:-default}`, 'odd key': 'x: y # not a comment' },
          ports: ['127.0.0.1:1:1'],
          retries: 3,
          on: true,
          none: null,
        },
      },
      volumes: { 'a-data': {} },
    }
    const text = toYaml(doc, ['header', ''])
    assert.match(text, /^# header\n#\nservices:\n {2}a:\n/)
    assert.deepEqual(parseYaml(text), doc)
  })

  it('refuses tabs, odd indents, unquoted scalars, duplicate keys and nested sequences', () => {
    for (const bad of ['a:\n\t- "x"', 'a:\n   b: "x"', 'a: plain words', 'a: "x"\na: "y"', 'a:\n  - "x"\n    - "y"'])
      assert.throws(() => parseYaml(bad), { code: 'ERR_INVALID_INPUT' }, JSON.stringify(bad))
    assert.throws(() => toYaml({ a: [{ b: 'c' }] }), { code: 'ERR_INVALID_INPUT' })
  })
})
