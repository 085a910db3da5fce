/**
 * docker-compose.yml and the Dockerfiles, rendered from the devnet plan (apps/devnet/src/plan.ts) so that Compose runs the
 * same services with the same settings as `npm start`. Each service of the plan becomes a container
 * built from the Dockerfile beside its entry point; `http://127.0.0.1:<port>` becomes
 * `http://<service>:<port>` on the Compose network (ports are published on 127.0.0.1 as in the
 * devnet); data folders are named volumes; services listen on 0.0.0.0; the dev secrets come from the
 * environment with dev-only defaults. `npx tsx deploy/compose.ts --write` regenerates them;
 * deploy/compose.test.ts checks that they are current.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULTS, devnetPlan } from '../apps/devnet/src/plan.js'
import type { ServiceSpec } from '../apps/devnet/src/supervisor.js'
import { type ImageSpec, renderDockerfile } from './dockerfile.js'
import { toYaml, type Yaml } from './yaml.js'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const COMPOSE_FILE = join(ROOT, 'docker-compose.yml')
const SEEDER = 'apps/devnet/src/seed.ts'
/** Where each container keeps its data (a named volume); the plan's folders are made under it. */
export const DATA = '/data'
/** Dev-only defaults; set DDC_DEVNET_CRYPTO_TOKEN / DDC_DEVNET_MASTER_KEY (e.g. in .env) to override. */
const DEV_MASTER_KEY = createHash('sha256').update('ddc devnet demo master key (dev only)').digest('hex')
/** Compose's `${NAME:-default}`: the variable from the environment or .env, else the default. */
const fromEnv = (name: string, fallback: string) => `\${${name}:-${fallback}}`
export const SECRETS = {
  cryptoToken: fromEnv('DDC_DEVNET_CRYPTO_TOKEN', 'devnet-dev-only-token'),
  demoMasterKey: fromEnv('DDC_DEVNET_MASTER_KEY', DEV_MASTER_KEY),
}

const HEADER = [
  'The DDC devnet in Docker Compose: the same services and settings as `npm start`.',
  'GENERATED from apps/devnet/src/plan.ts by `npx tsx deploy/compose.ts --write`; do not edit by hand.',
  '',
  '  docker compose up --build                 # chain, CLS, 3 storage nodes, encryption API, viewer',
  '  docker compose --profile seed run --rm seed   # demo timelines in bucket 1',
  '',
  'Ports are published on 127.0.0.1 as in the devnet (viewer: http://127.0.0.1:8703). Storage nodes',
  'are registered on the dev chain as http://storage-N:<port>, names that resolve inside the Compose',
  'network; an SDK client on the host needs them in /etc/hosts (127.0.0.1 storage-1 storage-2 storage-3).',
]

export interface ComposeService {
  name: string
  spec: ServiceSpec
  /** Dockerfile path from the repo root: beside the entry point's package. */
  dockerfile: string
  port: number
}

/** `<package>/src/main.ts` → `<package>/Dockerfile`. */
const dockerfileOf = (entry: string) => join(dirname(dirname(entry)), 'Dockerfile')

/** The devnet plan as Compose sees it, in start order. */
export function composePlan(): ComposeService[] {
  const plan = devnetPlan({ ...DEFAULTS, dataDir: DATA }, SECRETS)
  return [plan.chain, ...plan.storage, plan.cls, plan.crypto, plan.viewer].map((spec) => ({
    name: spec.name,
    spec,
    dockerfile: dockerfileOf(relative(ROOT, spec.entry)),
    port: Number(new URL(spec.url).port),
  }))
}

/** The listen-address variable of a service: the sibling of its `…_PORT` setting. */
export function hostVariable(env: Record<string, string>): string {
  const port = Object.keys(env).find((k) => k.endsWith('_PORT'))
  if (!port) throw new Error('a service of the plan has no …_PORT setting')
  return port.replace(/_PORT$/, '_HOST')
}

/** A plan value on the Compose network: each service's loopback URL becomes its service name. */
export function onComposeNetwork(value: string, services: readonly ComposeService[]): string {
  let out = value
  for (const s of services) out = out.replace(new RegExp(`${s.spec.url}(?!\\d)`, 'g'), `http://${s.name}:${s.port}`)
  return out
}

const imageOf = (s: ComposeService) => `ddc/${dirname(s.dockerfile).split('/').pop()}:dev`
const volumeOf = (s: ComposeService) => `${s.name}-data`
const hasData = (s: ComposeService) => Object.values(s.spec.env).some((v) => v.startsWith(`${DATA}/`))

function healthcheck(port: number): Yaml {
  // node:20-slim has no curl: Node's fetch asks /health.
  const probe = `fetch('http://127.0.0.1:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`
  return { test: ['CMD', 'node', '-e', probe], interval: '5s', timeout: '3s', retries: 12, start_period: '10s' }
}

export function composeDocument(): { [key: string]: Yaml } {
  const services = composePlan()
  const chain = services[0]!
  const out: { [key: string]: Yaml } = {}
  for (const s of services) {
    const env = Object.fromEntries(Object.entries(s.spec.env).map(([k, v]) => [k, onComposeNetwork(v, services)]))
    // Waits for every service its settings name, but the chain, which only lists the nodes in its genesis.
    const needs =
      s === chain ? [] : services.filter((o) => o !== s && Object.values(env).some((v) => v.includes(`//${o.name}:`)))
    out[s.name] = {
      build: { context: '.', dockerfile: s.dockerfile },
      image: imageOf(s),
      environment: { ...env, [hostVariable(env)]: '0.0.0.0' },
      ports: [`127.0.0.1:${s.port}:${s.port}`],
      ...(hasData(s) ? { volumes: [`${volumeOf(s)}:${DATA}`] } : {}),
      healthcheck: healthcheck(s.port),
      ...(needs.length
        ? { depends_on: Object.fromEntries(needs.map((o) => [o.name, { condition: 'service_healthy' }])) }
        : {}),
    }
  }
  const cls = services.find((s) => s.name === 'cls')!
  out.seed = {
    build: { context: '.', dockerfile: 'apps/devnet/Dockerfile' },
    image: 'ddc/devnet:dev',
    profiles: ['seed'],
    command: ['--cls', `http://cls:${cls.port}`, '--master-key', SECRETS.demoMasterKey, '--bucket', '1'],
    depends_on: Object.fromEntries(services.map((s) => [s.name, { condition: 'service_healthy' }])),
  }
  return {
    services: out,
    volumes: Object.fromEntries(services.filter(hasData).map((s) => [volumeOf(s), {}])),
  }
}

export function renderCompose(): string {
  return toYaml(composeDocument(), HEADER)
}

function title(entry: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, dirname(dirname(entry)), 'package.json'), 'utf8'))
  return `${pkg.name} (${String(pkg.description).split(':')[0]})`
}

/** One image per Dockerfile: each service's (exposing its first port) and the seeder's. */
export function images(): ImageSpec[] {
  const out = new Map<string, ImageSpec>()
  for (const s of composePlan()) {
    const entry = relative(ROOT, s.spec.entry)
    if (!out.has(s.dockerfile))
      out.set(s.dockerfile, { dockerfile: s.dockerfile, title: title(entry), entry, port: s.port })
  }
  out.set(dockerfileOf(SEEDER), {
    dockerfile: dockerfileOf(SEEDER),
    title: 'The devnet demo seeder',
    notes: ['One-shot: `docker compose --profile seed run --rm seed` fills bucket 1 with demo timelines.'],
    entry: SEEDER,
    job: true,
  })
  return [...out.values()]
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) {
    writeFileSync(COMPOSE_FILE, renderCompose())
    for (const image of images()) writeFileSync(join(ROOT, image.dockerfile), renderDockerfile(image))
    console.log(
      `wrote docker-compose.yml and ${images()
        .map((i) => i.dockerfile)
        .join(', ')}`,
    )
  } else process.stdout.write(renderCompose())
}
