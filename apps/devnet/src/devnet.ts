/** Starts and stops the whole devnet: `startDevnet(options)` returns the running services and their URLs. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DEFAULTS, type DevnetOptions, devnetPlan, devSecrets } from './plan.js'
import { type RunningService, startService, stopServices } from './supervisor.js'

export interface DevnetInfo {
  dataDir: string
  chain: string
  cls: string
  crypto: string
  viewer: string
  storage: string[]
  demoBucket: string
  devAccounts: string[]
  logs: Record<string, string>
}

export interface Devnet {
  info: DevnetInfo
  cryptoToken: string
  /** Process ids of the services, in start order. */
  pids: number[]
  stop(): Promise<void>
}

export async function startDevnet(options: Partial<DevnetOptions> & { fresh?: boolean } = {}): Promise<Devnet> {
  const o: DevnetOptions = { ...DEFAULTS, ...options, dataDir: resolve(options.dataDir ?? DEFAULTS.dataDir) }
  if (options.fresh) rmSync(o.dataDir, { recursive: true, force: true })
  mkdirSync(o.dataDir, { recursive: true })
  const secrets = devSecrets(o.dataDir)
  const plan = devnetPlan(o, secrets)
  const logDir = join(o.dataDir, 'logs')
  const running: RunningService[] = []
  try {
    running.push(await startService(plan.chain, logDir))
    running.push(...(await Promise.all(plan.storage.map((s) => startService(s, logDir)))))
    running.push(...(await Promise.all([startService(plan.cls, logDir), startService(plan.crypto, logDir)])))
    running.push(await startService(plan.viewer, logDir))
  } catch (err) {
    await stopServices(running)
    throw err
  }
  const info: DevnetInfo = {
    dataDir: o.dataDir,
    chain: plan.chain.url,
    cls: plan.cls.url,
    crypto: plan.crypto.url,
    viewer: plan.viewer.url,
    storage: plan.storage.map((s) => s.url),
    demoBucket: '1',
    devAccounts: ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'],
    logs: Object.fromEntries(running.map((r) => [r.name, r.log])),
  }
  writeFileSync(join(o.dataDir, 'devnet.json'), `${JSON.stringify(info, null, 2)}\n`)
  return {
    info,
    cryptoToken: secrets.cryptoToken,
    pids: running.map((r) => r.child.pid ?? -1),
    stop: () => stopServices(running),
  }
}
