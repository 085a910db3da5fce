#!/usr/bin/env -S node --import tsx
/**
 * `npm start`: the whole DDC network on localhost. Flags: --fresh (wipe the data folder first),
 * --dir <folder> (default .ddc), --port <first port> (default 8700), --nodes <n> (default 3),
 * --seed (fill the demo bucket with demo timelines once started).
 */
import { parseArgs } from 'node:util'
import { startDevnet } from './devnet.js'
import { DEFAULTS } from './plan.js'
import { describeSeed, seedDevnet } from './seed.js'

const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    dir: { type: 'string', default: DEFAULTS.dataDir },
    port: { type: 'string', default: String(DEFAULTS.basePort) },
    nodes: { type: 'string', default: String(DEFAULTS.storageNodes) },
    seed: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
})
if (values.help) {
  console.log('usage: npm start -- [--fresh] [--dir .ddc] [--port 8700] [--nodes 3] [--seed]')
  process.exit(0)
}

console.log('starting the DDC devnet …')
let devnet: Awaited<ReturnType<typeof startDevnet>>
try {
  devnet = await startDevnet({
    fresh: values.fresh,
    dataDir: values.dir,
    basePort: Number(values.port),
    storageNodes: Number(values.nodes),
  })
} catch (err) {
  console.error(`error: ${(err as Error).message}`)
  process.exit(1)
}
const { info } = devnet
const node = info.storage[0]
console.log(`
DDC devnet is running (data in ${info.dataDir}; logs in ${info.dataDir}/logs)

  viewer           ${info.viewer}        open this in a browser
  dev chain        ${info.chain}        explorer API: ${info.chain}/blocks   docs: ${info.chain}/docs
  CLS              ${info.cls}          docs: ${info.cls}/docs
  encryption API   ${info.crypto}       docs: ${info.crypto}/docs   (token in ${info.dataDir}/dev-secrets.json)
${info.storage.map((u, i) => `  storage node ${i + 1}   ${u}        docs: ${u}/docs`).join('\n')}

  dev accounts: ${info.devAccounts.join(', ')} (funded); demo bucket ${info.demoBucket} is owned by //Alice

Try:
  curl -s ${info.chain}/chain/head
  curl -s ${info.cls}/v1/topology
  curl -s ${node}/health

Machine-readable: ${info.dataDir}/devnet.json. Ctrl-C stops everything.`)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  console.log('\nstopping …')
  await devnet.stop()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())

// After the handlers, so that Ctrl-C during seeding still stops every service.
if (values.seed) {
  try {
    console.log(`\n${describeSeed(await seedDevnet(info))}\n  (report: ${info.dataDir}/seed.json)`)
  } catch (err) {
    console.error(
      `seeding failed: ${(err as Error).message} (the devnet keeps running; retry: npm run seed -w @ddc/devnet)`,
    )
  }
}
