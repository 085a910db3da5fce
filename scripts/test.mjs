#!/usr/bin/env node
// Runs every *.test.ts under the given paths (default: the whole tree) with node's test runner and tsx.
// `npm test -- packages/core` runs one package; `npm test -- path/to/x.test.ts` one file;
// extra flags after the paths go to node (e.g. --test-name-pattern="refuses").
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const paths = args.filter((a) => !a.startsWith('-'))
const flags = args.filter((a) => a.startsWith('-'))
const skip = new Set(['node_modules', 'dist', '.ddc', '.git', '.tmp'])

function collect(p, out) {
  const st = statSync(p)
  if (st.isFile()) {
    if (p.endsWith('.test.ts')) out.push(p)
    return out
  }
  for (const name of readdirSync(p)) if (!skip.has(name)) collect(join(p, name), out)
  return out
}

const roots = paths.length
  ? paths.map((p) => join(process.cwd(), p))
  : ['packages', 'services', 'apps', 'examples', 'bench', 'deploy'].map((d) => join(root, d))
const files = roots
  .flatMap((p) => {
    try {
      return collect(p, [])
    } catch {
      return []
    }
  })
  .sort()
if (files.length === 0) {
  console.error(`no test files under ${paths.join(' ') || 'the tree'}`)
  process.exit(1)
}
console.log(`running ${files.length} test files`)
const res = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    ...flags,
    ...files.map((f) => relative(process.cwd(), f)),
  ],
  { stdio: 'inherit' },
)
process.exit(res.status ?? 1)
