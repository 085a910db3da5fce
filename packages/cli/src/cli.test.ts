/**
 * Runs the real `ddc` binary (node bin/ddc.js) as a child process against a real network started in
 * this process (dev chain, CLS, three storage nodes: the SDK's test network). Every command run with
 * `doc` must appear verbatim in README.md.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { startTestNet, type TestNet } from '@ddc/testing/testnet'

const BIN = fileURLToPath(new URL('../bin/ddc.js', import.meta.url))
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y'

interface Run {
  code: number
  stdout: string
  stderr: string
}

let net: TestNet
let dir: string
const documented: string[] = []

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

const shell = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)

/**
 * Runs a command that README.md shows (as `ddc …`, with DDC_ACCOUNT //Alice unless the line sets it);
 * `$NAME` in an argument is shown as is and replaced by `vars.NAME` when run.
 */
function doc(
  args: string[],
  env: Record<string, string> = {},
  vars: Record<string, string> = {},
  hiddenEnv: Record<string, string> = {},
): Promise<Run> {
  const prefix = Object.entries(env)
    .map(([k, v]) => `${k}=${shell(v)} `)
    .join('')
  documented.push(`${prefix}ddc ${args.map((a) => (a.startsWith('$') ? a : shell(a))).join(' ')}`)
  return ddc(
    args.map((a) => (a.startsWith('$') ? (vars[a.slice(1)] ?? a) : a)),
    { ...env, ...hiddenEnv },
  )
}

function ok(r: Run): Run {
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
  return r
}

function oneLineError(r: Run, exit: number, code: string): void {
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
    const cmds = [['events', 'put'], ['timeline', 'cat'], ['share'], ['keys', 'new'], ['devnet', 'up']]
    const [main, bad1, bad2, ...subs] = await Promise.all([
      doc(['--help']),
      ddc(['frobnicate']),
      ddc(['events', 'put', '1', '--nope']),
      ...cmds.map((c) => ddc([...c, '--help'])),
    ])
    for (const c of [
      'keys new',
      'buckets create',
      'events put',
      'timeline cat',
      'share',
      'verify',
      'export car',
      'devnet up',
    ])
      assert.match(ok(main!).stdout, new RegExp(`\\n  ${c}`))
    assert.match(main!.stdout, /Exit codes/)
    cmds.forEach((c, i) => {
      const r = ok(subs[i]!)
      assert.match(r.stdout, new RegExp(`^ddc ${c.join(' ')} — `))
      assert.match(r.stdout, /\nExamples:\n {2}ddc /)
    })
    oneLineError(bad1!, 1, 'ERR_USAGE')
    oneLineError(bad2!, 1, 'ERR_USAGE')
  })
})

describe('keys', () => {
  it('keys new makes a mnemonic account; keys address derives it back; secrets are never echoed', async () => {
    const [made, alice, show, bad] = await Promise.all([
      doc(['keys', 'new', '--json']),
      doc(['keys', 'address', '--account', '//Alice']),
      doc(['keys', 'show', '--json']),
      ddc(['keys', 'address'], { DDC_ACCOUNT: 'not a valid secret phrase at all' }),
    ])
    const k = JSON.parse(ok(made!).stdout) as { mnemonic: string; address: string; addressCere: string }
    assert.equal(k.mnemonic.split(' ').length, 12)
    const [a, c] = await Promise.all([
      ddc(['keys', 'address'], { DDC_ACCOUNT: k.mnemonic }),
      ddc(['keys', 'address', '--prefix', '54'], { DDC_ACCOUNT: k.mnemonic }),
    ])
    assert.equal(ok(a!).stdout.trim(), k.address)
    assert.doesNotMatch(a!.stdout + a!.stderr, new RegExp(k.mnemonic))
    assert.equal(ok(c!).stdout.trim(), k.addressCere)
    assert.equal(ok(alice!).stdout.trim(), ALICE)
    const s = JSON.parse(ok(show!).stdout) as { address: string; scheme: string }
    assert.deepEqual([s.address, s.scheme], [ALICE, 'sr25519'])
    oneLineError(bad!, 1, 'ERR_INVALID_INPUT')
    assert.doesNotMatch(bad!.stderr, /valid secret phrase/)
  })
})

describe('against a network', () => {
  let publicBucket = ''

  it('buckets list / show / create (chain); the network defaults to .ddc/devnet.json', async () => {
    mkdirSync(join(dir, '.ddc'))
    writeFileSync(
      join(dir, '.ddc', 'devnet.json'),
      JSON.stringify({ chain: net.chainUrl, cls: net.cls, storage: net.nodes.map((n) => n.url) }),
    )
    const [list, show, made, missing] = await Promise.all([
      doc(['buckets', 'list', '--json'], {}, {}, { DDC_NETWORK: '', DDC_CHAIN: '' }),
      doc(['buckets', 'show', '1', '--json']),
      doc(['buckets', 'create', '--public', '--json']),
      ddc(['buckets', 'show', '999']),
    ])
    const bs = JSON.parse(ok(list!).stdout) as { id: string; owner: string }[]
    assert.ok(bs.some((b) => b.id === '1' && b.owner === ALICE))
    assert.equal((JSON.parse(ok(show!).stdout) as { public: boolean }).public, false)
    publicBucket = (JSON.parse(ok(made!).stdout) as { id: string; public: boolean }).id
    assert.ok(publicBucket)
    oneLineError(missing!, 2, 'ERR_NOT_FOUND')
  })

  it('keys master, events put, timeline cat/tail/head: encrypted round trip', async () => {
    ok(await doc(['keys', 'master', '1']))
    assert.equal(statSync(join(dir, 'alice-keys.json')).mode & 0o777, 0o600)
    const [again, put] = await Promise.all([
      ddc(['keys', 'master', '1']),
      doc(['events', 'put', '1', '--type', 'page_view', '--data', '{"page":"/pricing","email":"alice@example.com"}']),
    ])
    oneLineError(again!, 3, 'ERR_CONFLICT')
    assert.match(ok(put!).stdout, /^stored seq 0 bafy/)
    const [cat, sealed, tail, head] = await Promise.all([
      doc(['timeline', 'cat', '1', '--json']),
      doc(['timeline', 'cat', '1', '--json'], { DDC_KEYSTORE: 'empty.json' }),
      doc(['timeline', 'tail', '1', '-n', '1']),
      doc(['timeline', 'head', '1', '--json']),
    ])
    const events = JSON.parse(ok(cat!).stdout) as { data: unknown; locked: unknown[] }[]
    assert.equal(events.length, 1)
    assert.deepEqual(events[0]?.data, { page: '/pricing', email: 'alice@example.com' })
    assert.deepEqual(events[0]?.locked, [])
    // Without the key the same event stays sealed.
    const other = JSON.parse(ok(sealed!).stdout) as { data: unknown; locked: { scope: string }[] }[]
    assert.deepEqual(other[0]?.data, {})
    assert.deepEqual(
      other[0]?.locked.map((l) => l.scope),
      ['data'],
    )
    assert.match(ok(tail!).stdout, /page_view .*"page":"\/pricing"/)
    const h = JSON.parse(ok(head!).stdout) as { seq: number; length: number }
    assert.deepEqual([h.seq, h.length], [0, 1])
  })

  it('events put --file: 250 JSONL events go out in batches of --batch', async () => {
    const lines = Array.from({ length: 250 }, (_, i) =>
      i % 2 ? JSON.stringify({ type: 'click', data: { n: i } }) : JSON.stringify({ n: i }),
    )
    writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`)
    const r = JSON.parse(
      ok(await doc(['events', 'put', '1', '--file', 'events.jsonl', '--type', 'page_view', '--batch', '100', '--json']))
        .stdout,
    ) as { count: number; batches: number[]; events: { seq: number }[] }
    assert.equal(r.count, 250)
    assert.deepEqual(r.batches, [100, 100, 50])
    assert.deepEqual(
      r.events.map((e) => e.seq),
      Array.from({ length: 250 }, (_, i) => i + 1),
    )
    const [tail, clicks] = await Promise.all([
      doc(['timeline', 'tail', '1', ALICE, '-n', '3', '--json']),
      doc(['timeline', 'cat', '1', '--type', 'click', '--reverse', '--limit', '2', '--json']),
    ])
    assert.deepEqual(
      (JSON.parse(ok(tail!).stdout) as { seq: number; type: string; data: { n: number } }[]).map((e) => [
        e.seq,
        e.type,
        e.data.n,
      ]),
      [
        [248, 'click', 247],
        [249, 'page_view', 248],
        [250, 'click', 249],
      ],
    )
    assert.deepEqual(
      (JSON.parse(ok(clicks!).stdout) as { seq: number }[]).map((e) => e.seq),
      [250, 248],
    )
  })

  it('verify passes on good data; timeline ls lists the timeline', async () => {
    const [v, j, ls] = await Promise.all([
      doc(['verify', '1']),
      doc(['verify', '1', ALICE, '--json']),
      doc(['timeline', 'ls', '1', '--json']),
    ])
    assert.match(ok(v!).stdout, /ok: 1 timeline\(s\), 251 events verified/)
    assert.equal((JSON.parse(ok(j!).stdout) as { ok: boolean }).ok, true)
    assert.deepEqual(
      (JSON.parse(ok(ls!).stdout) as { owner: string; length: number }[]).map((t) => [t.owner, t.length]),
      [[ALICE, 251]],
    )
  })

  it('events get, delete, export car', async () => {
    const [first] = JSON.parse(ok(await ddc(['timeline', 'cat', '1', '--limit', '1', '--json'])).stdout) as {
      cid: string
    }[]
    const CID = first!.cid
    const got = JSON.parse(
      ok(await doc(['events', 'get', '$CID', '--bucket', '1', '--owner', ALICE, '--json'], {}, { CID })).stdout,
    ) as { data: unknown }
    assert.deepEqual(got.data, { page: '/pricing', email: 'alice@example.com' })
    ok(await doc(['delete', '1', '$CID'], {}, { CID }))
    const [erased, car] = await Promise.all([
      ddc(['timeline', 'cat', '1', '--limit', '1', '--json']),
      doc(['export', 'car', '1', ALICE, '-o', 'alice.car', '--json']),
    ])
    assert.equal((JSON.parse(ok(erased!).stdout) as { redacted: boolean }[])[0]?.redacted, true)
    const bytes = (JSON.parse(ok(car!).stdout) as { bytes: number }).bytes
    assert.ok(bytes > 1000)
    assert.equal(statSync(join(dir, 'alice.car')).size, bytes)
  })

  it('share a scope with another account, who opens the grant and reads', async () => {
    const charlie = { DDC_ACCOUNT: '//Charlie', DDC_KEYSTORE: 'charlie-keys.json' }
    const v = { BUCKET: publicBucket }
    const [announce, master] = await Promise.all([
      doc(['keys', 'announce'], { DDC_ACCOUNT: '//Charlie' }),
      doc(['keys', 'master', '$BUCKET'], {}, v),
    ])
    ok(announce!)
    ok(master!)
    ok(await doc(['events', 'put', '$BUCKET', '--type', 'note', '--data', '{"text":"for Charlie"}'], {}, v))
    ok(
      await doc(['share', '$BUCKET', '--scope', 'data', '--to', CHARLIE, '--expires', '7d', '-o', 'grant.json'], {}, v),
    )
    const opened = JSON.parse(ok(await doc(['grants', 'open', 'grant.json', '--json'], charlie)).stdout) as {
      scope: string
      level: string
    }
    assert.deepEqual([opened.scope, opened.level], ['data', 'bucket'])
    const read = JSON.parse(
      ok(await doc(['timeline', 'tail', '$BUCKET', ALICE, '-n', '1', '--json'], charlie, v)).stdout,
    ) as {
      data: unknown
      locked: unknown[]
    }[]
    assert.deepEqual([read[0]?.data, read[0]?.locked], [{ text: 'for Charlie' }, []])
  })

  it('bad input exits 1; an unknown bucket exits 2; no service exits 4; no stack traces', async () => {
    const rs = await Promise.all([
      ddc(['events', 'put', '1', '--data', '{not json']),
      ddc(['events', 'put', '1', '--data', '{"a":1}']),
      ddc(['events', 'put']),
      ddc(['timeline', 'tail', '1', '-n', 'ten']),
      ddc(['timeline', 'head', '999']),
      ddc(['events', 'put', '999', '--type', 't', '--data', '{}']),
      ddc(['timeline', 'head', '1'], { DDC_NETWORK: 'http://127.0.0.1:1' }),
    ])
    const want: [number, string][] = [
      [1, 'ERR_INVALID_INPUT'],
      [1, 'ERR_INVALID_INPUT'],
      [1, 'ERR_USAGE'],
      [1, 'ERR_INVALID_INPUT'],
      [2, 'ERR_NOT_FOUND'],
      [2, 'ERR_NOT_FOUND'],
      [4, 'ERR_UNAVAILABLE|ERR_NETWORK'],
    ]
    for (const [i, [exit, code]] of want.entries()) oneLineError(rs[i]!, exit, code)
  })
})

describe('verify on tampered data', () => {
  it('ddc verify exits 5 and names the first failure', async () => {
    // One clear-text event, then read back through proxies that change one byte of it in every answer.
    const put = await ddc(['events', 'put', '1', '--type', 'note', '--data', '{"text":"AAAAAAAA"}'], {
      DDC_KEYSTORE: 'empty.json',
    })
    ok(put)
    // The node that holds the timeline (the CLS knows), behind two proxies (placement over --nodes picks one).
    const loc = (await (await fetch(`${net.cls}/v1/locate/1/${ALICE}`)).json()) as {
      replicas: { endpoint: string | null; endpoints: string[] }[]
    }
    const holder = loc.replicas[0]?.endpoint ?? loc.replicas[0]?.endpoints[0] ?? ''
    const proxies = await Promise.all([1, 2].map(() => tamperingProxy(holder, 'AAAAAAAA', 'AAAAAAAB')))
    try {
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
async function tamperingProxy(
  target: string,
  from: string,
  to: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http')
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && k !== 'host' && k !== 'content-length'),
    ) as Record<string, string>
    const up = await fetch(`${target}${req.url}`, {
      method: req.method ?? 'GET',
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    })
    const body = Buffer.from(await up.arrayBuffer())
    const i = body.indexOf(from)
    if (i >= 0) body.write(to, i)
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/octet-stream' })
    res.end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) }
}

it('README.md shows every command the tests run', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const missing = [...new Set(documented)].filter((c) => !readme.includes(c))
  assert.deepEqual(missing, [])
  if (process.env.DDC_PRINT_DOCUMENTED) console.log(documented.join('\n'))
})
