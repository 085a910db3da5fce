// Lints the Docker packaging without a Docker engine: docker-compose.yml and the Dockerfiles are what
// the devnet plan renders, runs every service of the plan with every setting the plan gives it, with a
// /health healthcheck, its port and a named volume; every Dockerfile starts an entry point that exists.
// `docker compose config -q` runs too where a Compose client is installed.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { DEFAULTS, devnetPlan } from '../apps/devnet/src/plan.js'
import { COMPOSE_FILE, composeDocument, DATA, images, ROOT, SECRETS } from './compose.js'
import { renderDockerfile } from './dockerfile.js'
import { parseYaml, type Yaml } from './yaml.js'

type Map = { [key: string]: Yaml }
const compose = parseYaml(readFileSync(COMPOSE_FILE, 'utf8'))
const services = compose.services as { [name: string]: Map }
const plan = devnetPlan({ ...DEFAULTS, dataDir: DATA }, SECRETS)
const specs = [plan.chain, ...plan.storage, plan.cls, plan.crypto, plan.viewer]
const portOf = (s: Map) =>
  Number(
    String((s.ports as string[])[0])
      .split(':')
      .pop(),
  )

/** Instructions of a Dockerfile: comments dropped, continuation lines joined. */
function dockerfile(path: string): { op: string; args: string }[] {
  return readFileSync(join(ROOT, path), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/)
      return { op: op!.toUpperCase(), args: rest.join(' ') }
    })
}

function composeClient(): string[] | undefined {
  for (const cmd of [['docker', 'compose'], ['docker-compose']]) {
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), 'version'], { encoding: 'utf8' })
    if (r.status === 0) return cmd
  }
  return undefined
}
const client = composeClient()

describe('Docker packaging', () => {
  it('docker-compose.yml and the Dockerfiles are current: what deploy/compose.ts renders from the devnet plan', () => {
    const regenerate = 'regenerate: npx tsx deploy/compose.ts --write'
    assert.deepEqual(compose, composeDocument(), regenerate)
    for (const image of images())
      assert.equal(
        readFileSync(join(ROOT, image.dockerfile), 'utf8'),
        renderDockerfile(image),
        `${image.dockerfile}: ${regenerate}`,
      )
  })

  it('runs every service of the devnet plan with every setting the plan gives it', () => {
    const hostOfPort = new globalThis.Map(Object.entries(services).map(([name, s]) => [s.ports && portOf(s), name]))
    for (const spec of specs) {
      const s = services[spec.name]
      assert.ok(s, `service ${spec.name}`)
      const env = s.environment as Map
      for (const [k, v] of Object.entries(spec.env)) {
        // Loopback URLs of the plan name the Compose service that listens on that port.
        const expected = v.replace(/http:\/\/127\.0\.0\.1:(\d+)/g, (_, p) => `http://${hostOfPort.get(Number(p))}:${p}`)
        assert.equal(env[k], expected, `${spec.name} ${k}`)
      }
      const host = Object.keys(spec.env)
        .find((k) => k.endsWith('_PORT'))!
        .replace(/_PORT$/, '_HOST')
      assert.equal(env[host], '0.0.0.0', `${spec.name} listens beyond its container`)
    }
    assert.deepEqual(Object.keys(services).sort(), [...specs.map((s) => s.name), 'seed'].sort())
  })

  it('gives each service a /health healthcheck, its published port, and a named volume for its data', () => {
    for (const spec of specs) {
      const s = services[spec.name]!
      const port = Number(new URL(spec.url).port)
      assert.deepEqual(s.ports, [`127.0.0.1:${port}:${port}`])
      const probe = ((s.healthcheck as Map).test as string[]).join(' ')
      assert.match(probe, new RegExp(`^CMD node -e .*http://127\\.0\\.0\\.1:${port}/health`))
      const dataDirs = Object.values(spec.env).filter((v) => v.startsWith(`${DATA}/`))
      if (dataDirs.length === 0) continue
      const [volume, mount] = String((s.volumes as string[])[0]).split(':')
      assert.equal(mount, DATA)
      assert.ok(volume && volume in (compose.volumes as Map), `volume ${volume} is declared`)
    }
  })

  it('builds each service from a Dockerfile on node:20-slim whose entry point exists in the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
    for (const [name, s] of Object.entries(services)) {
      const file = (s.build as Map).dockerfile as string
      assert.ok(existsSync(join(ROOT, file)), `${name}: ${file}`)
      const steps = dockerfile(file)
      assert.equal(steps[0]?.op, 'FROM')
      assert.equal(steps[0]?.args, 'node:20-slim')
      assert.ok(
        steps.some((x) => x.op === 'COPY' && x.args === '. .'),
        `${file} copies the workspaces`,
      )
      const start = steps.findLast((x) => x.op === 'CMD' || x.op === 'ENTRYPOINT')
      assert.ok(start, `${file} has CMD or ENTRYPOINT`)
      const argv = JSON.parse(start.args) as string[]
      const entry = argv.find((a) => a.endsWith('.ts'))!
      assert.ok(existsSync(join(ROOT, entry)), `${file}: entry point ${entry} exists`)
      assert.ok(!ignored.some((p) => entry.startsWith(`${p}/`)), `${entry} is in the build context`)
      const spec = specs.find((x) => x.name === name)
      if (spec) assert.equal(join(ROOT, entry), spec.entry, `${name} runs the plan's entry point`)
    }
  })

  it('passes `docker compose config`', {
    skip: client ? false : 'no Docker Compose client here (docker compose, docker-compose)',
  }, () => {
    const r = spawnSync(client![0]!, [...client!.slice(1), '-f', COMPOSE_FILE, 'config', '-q'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    assert.equal(r.status, 0, r.stderr)
  })
})
