/**
 * Runs the real `ddc` binary (node bin/ddc.js) against a real network started in this process (dev
 * chain, CLS, two storage nodes). Start-up (TypeScript loader, Substrate crypto) dominates a command,
 * so most commands run through `ddc batch`: one process per test, each command run exactly as the
 * binary runs it (same parser, same error lines, same exit codes), its output and exit code reported
 * per line. A few commands run as their own process to check what the process itself does (exit
 * status, stderr). Every command run with `doc` must appear verbatim in README.md.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseCid } from '@ddc/core'
import { rewritingProxy } from '@ddc/testing'
import { startTestNet, type TestNet } from '@ddc/testing/testnet'

const BIN = fileURLToPath(new URL('../bin/ddc.js', import.meta.url))
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y'

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** One command of a batch: its arguments and the environment it runs with on top of the base one. */
interface Step {
  args: string[]
  env?: Record<string, string>
}

let net: TestNet
let dir: string
const documented: string[] = []

/** Runs the binary as its own process. */
function ddc(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          DDC_NETWORK: net?.cls ?? '',
          DDC_CHAIN: net?.chainUrl ?? '',
          DDC_KEYSTORE: 'alice-keys.json',
          DDC_ACCOUNT: '//Alice',
          ...env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) =>
        resolve({
          code: err ? ((err as { code?: number }).code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    )
    if (input !== undefined) child.stdin?.end(input)
  })
}

/** Runs the steps in order in ONE `ddc batch` process; answers each command's exit code and output. */
async function batch(steps: Step[]): Promise<Run[]> {
  const r = await ddc(['batch'], {}, `${steps.map((s) => JSON.stringify(s)).join('\n')}\n`)
  const lines = r.stdout.split('\n').filter(Boolean)
  assert.equal(lines.length, steps.length, `ddc batch answered ${lines.length} lines\n${r.stderr}`)
  return lines.map((l) => {
    const j = JSON.parse(l) as { exit: number; stdout: string; stderr: string }
    return { code: j.exit, stdout: j.stdout, stderr: j.stderr }
  })
}

const shell = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)

/** A step that is not in the README (errors, variations). */
const cmd = (args: string[], env?: Record<string, string>): Step => (env ? { args, env } : { args })

/**
 * A step README.md shows (as `ddc …`, with DDC_ACCOUNT //Alice unless the line sets it); `$NAME` in
 * an argument is shown as is and replaced by `vars.NAME` when run.
 */
function doc(
  args: string[],
  env: Record<string, string> = {},
  vars: Record<string, string> = {},
  hiddenEnv: Record<string, string> = {},
): Step {
  const prefix = Object.entries(env)
    .map(([k, v]) => `${k}=${shell(v)} `)
    .join('')
  documented.push(`${prefix}ddc ${args.map((a) => (a.startsWith('$') ? a : shell(a))).join(' ')}`)
  return cmd(
    args.map((a) => (a.startsWith('$') ? (vars[a.slice(1)] ?? a) : a)),
    Object.keys(env).length + Object.keys(hiddenEnv).length ? { ...env, ...hiddenEnv } : undefined,
  )
}

function ok(r: Run | undefined): Run {
  assert.ok(r)
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
  return r
}

const json = <T>(r: Run | undefined): T => JSON.parse(ok(r).stdout) as T

function oneLineError(r: Run | undefined, exit: number, code: string): void {
  assert.ok(r)
  assert.equal(r.code, exit, `expected exit ${exit}, got ${r.code}: ${r.stderr}`)
  assert.match(r.stderr, new RegExp(`^error: .*\\(${code}\\)\\n`))
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddc-cli-'))
  net = await startTestNet({ nodes: 2 })
})
after(async () => {
  await net?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('help', () => {
  it('ddc --help lists every command group; ddc <command> --help teaches with examples', async () => {
    const cmds = [
      ['events', 'put'],
      ['timeline', 'cat'],
      ['timeline', 'follow'],
      ['share'],
      ['keys', 'new'],
      ['account', 'deposit'],
      ['batch'],
      ['devnet', 'up'],
    ]
    const [[main, bad2, ...subs], bad1] = await Promise.all([
      batch([doc(['--help']), cmd(['events', 'put', '1', '--nope']), ...cmds.map((c) => cmd([...c, '--help']))]),
      ddc(['frobnicate']), // the process itself: exit status 1, one line on stderr
    ])
    for (const c of [
      'keys new',
      'buckets create',
      'buckets update',
      'account show',
      'events put',
      'timeline cat',
      'timeline follow',
      'share',
      'verify',
      'export car',
      'batch',
      'devnet up',
    ])
      assert.match(ok(main).stdout, new RegExp(`\\n  ${c}`))
    assert.match(main!.stdout, /Exit codes/)
    cmds.forEach((c, i) => {
      const r = ok(subs[i])
      assert.match(r.stdout, new RegExp(`^ddc ${c.join(' ')} — `))
      assert.match(r.stdout, /\nExamples:\n {2}(printf .* \| )?ddc /)
    })
    oneLineError(bad1, 1, 'ERR_USAGE')
    oneLineError(bad2, 1, 'ERR_USAGE')
  })
})

describe('keys', () => {
  it('keys new makes a mnemonic account; keys address derives it back; secrets are never echoed', async () => {
    const [[made, alice, bad], badProcess] = await Promise.all([
      batch([
        doc(['keys', 'new', '--json']),
        doc(['keys', 'address', '--account', '//Alice']),
        cmd(['keys', 'address'], { DDC_ACCOUNT: 'not a valid secret phrase at all' }),
      ]),
      ddc(['keys', 'show'], { DDC_ACCOUNT: 'another invalid secret phrase' }),
    ])
    const k = json<{ mnemonic: string; address: string; addressCere: string }>(made)
    assert.equal(k.mnemonic.split(' ').length, 12)
    const [a, c, show] = await batch([
      cmd(['keys', 'address'], { DDC_ACCOUNT: k.mnemonic }),
      cmd(['keys', 'address', '--prefix', '54'], { DDC_ACCOUNT: k.mnemonic }),
      doc(['keys', 'show', '--json'], {}, {}, { DDC_ACCOUNT: k.mnemonic }),
    ])
    assert.equal(ok(a).stdout.trim(), k.address)
    assert.equal(ok(c).stdout.trim(), k.addressCere)
    const s = json<{ address: string; addressCere: string; scheme: string }>(show)
    assert.deepEqual([s.address, s.addressCere, s.scheme], [k.address, k.addressCere, 'sr25519'])
    for (const r of [a!, c!, show!]) assert.doesNotMatch(r.stdout + r.stderr, new RegExp(k.mnemonic))
    assert.equal(ok(alice).stdout.trim(), ALICE)
    oneLineError(bad, 1, 'ERR_INVALID_INPUT')
    oneLineError(badProcess, 1, 'ERR_INVALID_INPUT')
    assert.doesNotMatch(bad!.stderr + badProcess.stderr, /valid secret phrase/)
  })
})

describe('against a network', () => {
  let publicBucket = ''
  let firstCid = ''

  it('buckets list / show / create / update, account show / deposit (chain); the network defaults to .ddc/devnet.json', async () => {
    mkdirSync(join(dir, '.ddc'))
    writeFileSync(
      join(dir, '.ddc', 'devnet.json'),
      JSON.stringify({ chain: net.chainUrl, cls: net.cls, storage: net.nodes.map((n) => n.url) }),
    )
    const [list, show, made, missing, acct, dep] = await batch([
      doc(['buckets', 'list', '--json'], {}, {}, { DDC_NETWORK: '', DDC_CHAIN: '' }),
      doc(['buckets', 'show', '1', '--json']),
      doc(['buckets', 'create', '--public', '--json']),
      cmd(['buckets', 'show', '999']),
      doc(['account', 'show', '--json']),
      doc(['account', 'deposit', '1000', '--json']),
    ])
    const bs = json<{ id: string; owner: string }[]>(list)
    assert.ok(bs.some((b) => b.id === '1' && b.owner === ALICE))
    assert.equal(json<{ public: boolean }>(show).public, false)
    publicBucket = json<{ id: string; public: boolean }>(made).id
    assert.ok(publicBucket)
    oneLineError(missing, 2, 'ERR_NOT_FOUND')
    const before = json<{ address: string; deposit: string }>(acct)
    assert.equal(before.address, ALICE)
    const after = json<{ deposit: string; added: string; block: number }>(dep)
    assert.equal(BigInt(after.deposit), BigInt(before.deposit) + 1000n)
    assert.equal(after.added, '1000')

    const v = { BUCKET: publicBucket }
    const [updated, shown, nothing, notMine] = await batch([
      doc(['buckets', 'update', '$BUCKET', '--settings', '{"app":"demo","retentionDays":30}', '--json'], {}, v),
      cmd(['buckets', 'show', publicBucket, '--json']),
      cmd(['buckets', 'update', publicBucket]),
      cmd(['buckets', 'update', publicBucket, '--private'], { DDC_ACCOUNT: '//Charlie' }),
    ])
    assert.deepEqual(json<{ settings: unknown }>(updated).settings, { app: 'demo', retentionDays: 30 })
    const now = json<{ settings: unknown; public: boolean }>(shown)
    assert.deepEqual([now.settings, now.public], [{ app: 'demo', retentionDays: 30 }, true])
    oneLineError(nothing, 1, 'ERR_USAGE')
    assert.notEqual(notMine?.code, 0, 'only the owner may change a bucket')
  })

  it('keys master, events put, timeline cat/tail/head: encrypted round trip', async () => {
    const [master, again, put, cat, sealed, tail, head] = await batch([
      doc(['keys', 'master', '1']),
      cmd(['keys', 'master', '1']),
      doc(['events', 'put', '1', '--type', 'page_view', '--data', '{"page":"/pricing","email":"alice@example.com"}']),
      doc(['timeline', 'cat', '1', '--json']),
      doc(['timeline', 'cat', '1', '--json'], { DDC_KEYSTORE: 'empty.json' }),
      doc(['timeline', 'tail', '1', '-n', '1']),
      doc(['timeline', 'head', '1', '--json']),
    ])
    ok(master)
    assert.equal(statSync(join(dir, 'alice-keys.json')).mode & 0o777, 0o600)
    oneLineError(again, 3, 'ERR_CONFLICT')
    assert.match(ok(put).stdout, /^stored seq 0 bafy/)
    const events = json<{ cid: string; data: unknown; locked: unknown[] }[]>(cat)
    assert.equal(events.length, 1)
    assert.deepEqual(events[0]?.data, { page: '/pricing', email: 'alice@example.com' })
    assert.deepEqual(events[0]?.locked, [])
    firstCid = events[0]!.cid
    // Without the key the same event stays sealed.
    const other = json<{ data: unknown; locked: { scope: string }[] }[]>(sealed)
    assert.deepEqual(other[0]?.data, {})
    assert.deepEqual(
      other[0]?.locked.map((l) => l.scope),
      ['data'],
    )
    assert.match(ok(tail).stdout, /page_view .*"page":"\/pricing"/)
    const h = json<{ seq: number; length: number }>(head)
    assert.deepEqual([h.seq, h.length], [0, 1])
  })

  it('events put --file: 250 JSONL events go out in batches of --batch', async () => {
    const lines = Array.from({ length: 250 }, (_, i) =>
      i % 2 ? JSON.stringify({ type: 'click', data: { n: i } }) : JSON.stringify({ n: i }),
    )
    writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`)
    const [put, tail, clicks] = await batch([
      doc(['events', 'put', '1', '--file', 'events.jsonl', '--type', 'page_view', '--batch', '100', '--json']),
      doc(['timeline', 'tail', '1', ALICE, '-n', '3', '--json']),
      doc(['timeline', 'cat', '1', '--type', 'click', '--reverse', '--limit', '2', '--json']),
    ])
    const r = json<{ count: number; batches: number[]; events: { seq: number }[] }>(put)
    assert.equal(r.count, 250)
    assert.deepEqual(r.batches, [100, 100, 50])
    assert.deepEqual(
      r.events.map((e) => e.seq),
      Array.from({ length: 250 }, (_, i) => i + 1),
    )
    assert.deepEqual(
      json<{ seq: number; type: string; data: { n: number } }[]>(tail).map((e) => [e.seq, e.type, e.data.n]),
      [
        [248, 'click', 247],
        [249, 'page_view', 248],
        [250, 'click', 249],
      ],
    )
    assert.deepEqual(
      json<{ seq: number }[]>(clicks).map((e) => e.seq),
      [250, 248],
    )
  })

  it('verify passes on good data; timeline ls lists the timeline', async () => {
    const [v, j, ls] = await batch([
      doc(['verify', '1']),
      doc(['verify', '1', ALICE, '--json']),
      doc(['timeline', 'ls', '1', '--json']),
    ])
    assert.match(ok(v).stdout, /ok: 1 timeline\(s\), 251 events verified/)
    assert.equal(json<{ ok: boolean }>(j).ok, true)
    assert.deepEqual(
      json<{ owner: string; length: number }[]>(ls).map((t) => [t.owner, t.length]),
      [[ALICE, 251]],
    )
  })

  it('events get, delete, export car', async () => {
    const CID = firstCid
    const [got, del, erased, car] = await batch([
      doc(['events', 'get', '$CID', '--bucket', '1', '--owner', ALICE, '--json'], {}, { CID }),
      doc(['delete', '1', '$CID'], {}, { CID }),
      cmd(['timeline', 'cat', '1', '--limit', '1', '--json']),
      doc(['export', 'car', '1', ALICE, '-o', 'alice.car', '--json']),
    ])
    assert.deepEqual(json<{ data: unknown }>(got).data, { page: '/pricing', email: 'alice@example.com' })
    ok(del)
    assert.equal(json<{ redacted: boolean }[]>(erased)[0]?.redacted, true)
    const bytes = json<{ bytes: number }>(car).bytes
    assert.ok(bytes > 1000)
    assert.equal(statSync(join(dir, 'alice.car')).size, bytes)
  })

  it('share a scope with another account, who opens the grant and reads', async () => {
    const charlie = { DDC_ACCOUNT: '//Charlie', DDC_KEYSTORE: 'charlie-keys.json' }
    const v = { BUCKET: publicBucket }
    const runs = await batch([
      doc(['keys', 'announce'], { DDC_ACCOUNT: '//Charlie' }),
      doc(['keys', 'master', '$BUCKET'], {}, v),
      doc(['events', 'put', '$BUCKET', '--type', 'note', '--data', '{"text":"for Charlie"}'], {}, v),
      doc(
        ['share', '$BUCKET', '--scope', 'data', '--to', CHARLIE, '--expires', '7d', '--record', '-o', 'grant.json'],
        {},
        v,
      ),
      doc(['grants', 'open', 'grant.json', '--json'], charlie),
      doc(['timeline', 'cat', '$BUCKET', ALICE, '--type', 'note', '--json'], charlie, v),
      doc(['grants', 'list', '$BUCKET', '--grantor', ALICE, '--to', 'me', '--json'], charlie, v),
    ])
    for (const r of runs.slice(0, 4)) ok(r)
    const opened = json<{ scope: string; level: string }>(runs[4])
    assert.deepEqual([opened.scope, opened.level], ['data', 'bucket'])
    const read = json<{ data: unknown; locked: unknown[] }[]>(runs[5])
    assert.deepEqual([read[0]?.data, read[0]?.locked], [{ text: 'for Charlie' }, []])
    // The grant is also kept in DDC: Charlie finds it there; Alice revokes it.
    const [record] = json<{ cid: string; grantee: string; scope: string; revoked: boolean }[]>(runs[6])
    assert.deepEqual([record?.grantee, record?.scope, record?.revoked], [CHARLIE, 'data', false])
    const GRANT = record!.cid
    const [revoke, listed] = await batch([
      doc(['grants', 'revoke', '$BUCKET', '$GRANT'], {}, { ...v, GRANT }),
      doc(['grants', 'list', '$BUCKET', '--json'], {}, v),
    ])
    ok(revoke)
    assert.deepEqual(
      json<{ cid: string; revoked: boolean }[]>(listed).map((g) => [g.cid, g.revoked]),
      [[GRANT, true]],
    )
  })

  it('events put --on-chain puts the CID on chain (with a transfer); timeline follow prints what arrives', async () => {
    const v = { BUCKET: publicBucket }
    const [onChain, follow, bad] = await batch([
      doc(
        [
          'events',
          'put',
          '$BUCKET',
          '--type',
          'nft.purchase',
          '--data',
          '{"token":"n1","price":5}',
          '--on-chain',
          '--transfer',
          `${CHARLIE}:5`,
          '--json',
        ],
        {},
        v,
      ),
      doc(['timeline', 'follow', '$BUCKET', ALICE, '--from', '0', '-n', '4', '--json'], {}, v),
      cmd(['events', 'put', publicBucket, '--type', 't', '--data', '{}', '--transfer', `${CHARLIE}:5`]),
    ])
    const r = json<{ events: { seq: number; cid: string; block: number; transfer: string }[] }>(onChain)
    assert.equal(r.events[0]?.transfer, '5')
    const remark = await net.chain.findRemark(parseCid(r.events[0]!.cid))
    assert.equal(remark?.block.number, r.events[0]?.block)
    assert.equal(remark?.transfer?.amount, 5n)
    const followed = ok(follow)
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; type: string })
    assert.deepEqual(
      followed.map((e) => [e.seq, e.type]),
      [
        [0, 'note'],
        [1, 'ddc/grant'],
        [2, 'ddc/grant-revoke'],
        [3, 'nft.purchase'],
      ],
    )
    oneLineError(bad, 1, 'ERR_USAGE')
  })

  it('bad input exits 1; an unknown bucket exits 2; no service exits 4; no stack traces', async () => {
    const rs = await batch([
      cmd(['events', 'put', '1', '--data', '{not json']),
      cmd(['events', 'put', '1', '--data', '{"a":1}']),
      cmd(['events', 'put']),
      cmd(['timeline', 'tail', '1', '-n', 'ten']),
      cmd(['account', 'deposit', '-5']),
      cmd(['timeline', 'head', '999']),
      cmd(['events', 'put', '999', '--type', 't', '--data', '{}']),
      cmd(['timeline', 'head', '1'], { DDC_NETWORK: 'http://127.0.0.1:1' }),
    ])
    const want: [number, string][] = [
      [1, 'ERR_INVALID_INPUT'],
      [1, 'ERR_INVALID_INPUT'],
      [1, 'ERR_USAGE'],
      [1, 'ERR_INVALID_INPUT'],
      [1, 'ERR_USAGE|ERR_INVALID_INPUT'],
      [2, 'ERR_NOT_FOUND'],
      [2, 'ERR_NOT_FOUND'],
      [4, 'ERR_UNAVAILABLE|ERR_NETWORK'],
    ]
    for (const [i, [exit, code]] of want.entries()) oneLineError(rs[i], exit, code)
  })
})

describe('verify on tampered data', () => {
  it('ddc verify exits 5 and names the first failure', async () => {
    // One clear-text event, then read back through proxies that change one byte of it in every answer.
    ok(
      (
        await batch([
          cmd(['events', 'put', '1', '--type', 'note', '--data', '{"text":"AAAAAAAA"}'], {
            DDC_KEYSTORE: 'empty.json',
          }),
        ])
      )[0],
    )
    // The node that holds the timeline (the CLS knows), behind two proxies (placement over --nodes picks one).
    const loc = (await (await fetch(`${net.cls}/v1/locate/1/${ALICE}`)).json()) as {
      replicas: { endpoint: string | null; endpoints: string[] }[]
    }
    const holder = loc.replicas[0]?.endpoint ?? loc.replicas[0]?.endpoints[0] ?? ''
    const proxies = await Promise.all([1, 2].map(() => tamperingProxy(holder, 'AAAAAAAA', 'AAAAAAAB')))
    try {
      // Its own process: the exit status scripts see.
      const r = await ddc(['verify', '1', ALICE], { DDC_NETWORK: '', DDC_NODES: proxies.map((p) => p.url).join(',') })
      assert.equal(r.code, 5, `${r.stdout}\n${r.stderr}`)
      assert.match(r.stderr, /^error: verification failed for 5Grw\w+ at seq \d+ \(bafy\w+\).*\(ERR_[A-Z_]+\)\n/)
      assert.doesNotMatch(r.stderr, /\n\s+at /)
    } finally {
      for (const p of proxies) await p.close()
    }
  })
})

/** An HTTP proxy to `target` that replaces `from` with `to` (same length) in every response body. */
const tamperingProxy = (target: string, from: string, to: string) =>
  rewritingProxy(target, (_path, body) => {
    const out = Buffer.from(body)
    const i = out.indexOf(from)
    if (i >= 0) out.write(to, i)
    return out
  })

it('README.md shows every command the tests run', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const missing = [...new Set(documented)].filter((c) => !readme.includes(c))
  assert.deepEqual(missing, [])
  if (process.env.DDC_PRINT_DOCUMENTED) console.log(documented.join('\n'))
})
