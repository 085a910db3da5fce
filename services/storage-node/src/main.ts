/**
 * Storage-node process entry: configuration from a JSON file (`DDC_NODE_CONFIG` or the first
 * argument) and `DDC_NODE_*` variables, then serve until SIGINT/SIGTERM. `--check` verifies the data
 * directory (every block against its CID, every timeline's links) and exits.
 */
import { cachedBuckets, devChainClient } from '@ddc/chain'
import { createAccount, cryptoReady } from '@ddc/core'
import { runService } from '@ddc/service'
import { bucketsOf, loadNodeConfig } from './config.js'
import { createStorageNode } from './node.js'
import { replicationOf } from './replication/config.js'
import { openLevelStore } from './store/level.js'

const args = process.argv.slice(2)
const file = args.find((a) => !a.startsWith('--'))
const config = (() => {
  try {
    return loadNodeConfig(file ? { file } : {})
  } catch (err) {
    // One line that names the bad setting, not a stack trace.
    process.stderr.write(`error: ${(err as Error).message}\n`)
    process.exit(2)
  }
})()

if (args.includes('--check')) {
  const store = await openLevelStore({ dir: config.dataDir })
  const report = await store.check()
  await store.close()
  console.log(JSON.stringify(report, null, 2))
  process.exit(report.errors.length ? 1 : 0)
}

// With a key, the node signs its anchors and usage reports on the chain it reads buckets from.
await cryptoReady()
const signed = (uri: string | undefined) =>
  config.chain && uri
    ? devChainClient({ url: config.chain, signer: createAccount({ uri, ss58Prefix: config.ss58Prefix }) })
    : undefined
const chain = signed(config.key)
const manager = signed(config.payoutKey)
const replication = replicationOf(config, chain ?? (config.chain ? devChainClient({ url: config.chain }) : undefined))

const node = await createStorageNode({
  dataDir: config.dataDir,
  // Buckets come from the chain when one is configured (the devnet), else from the config file.
  buckets: config.chain ? cachedBuckets(devChainClient({ url: config.chain })) : bucketsOf(config),
  verifyWorkers: config.verifyWorkers < 0 ? undefined : config.verifyWorkers,
  logger: config.logLevel,
  bodyLimit: config.bodyLimit,
  maxEventsPerRequest: config.maxEventsPerRequest,
  requestWindowMs: config.requestWindowMs,
  ss58Prefix: config.ss58Prefix,
  cacheSize: config.cacheSize,
  writeBufferSize: config.writeBufferSize,
  ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
  ...(config.cors ? { cors: config.cors } : {}),
  ...(chain ? { chain } : {}),
  ...(chain && config.anchorPeriodMs ? { anchor: { periodMs: config.anchorPeriodMs } } : {}),
  ...(chain && config.usagePeriodMs
    ? { usageReports: { periodMs: config.usagePeriodMs, ...(manager ? { manager } : {}) } }
    : {}),
  // With a key and a cluster (chain or static peers), the node replicates (src/replication).
  ...(replication ? { replication } : {}),
})
const url = await runService(node.app, {
  host: config.host,
  port: config.port,
})
node.app.log.info(
  { url, dataDir: config.dataDir, buckets: config.chain ? `from chain ${config.chain}` : config.buckets.length },
  'storage node listening',
)
