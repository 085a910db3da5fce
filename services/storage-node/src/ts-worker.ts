/**
 * Starts a worker thread whose entry is a TypeScript module. On Node 20 a worker does not get the
 * parent's loader hooks even when it inherits `--import tsx` (measured: importing a .ts entry fails
 * with ERR_UNKNOWN_FILE_EXTENSION), so the bootstrap tries the entry as is — a compiled .js build, or
 * a Node that shares hooks — and otherwise registers tsx inside the worker and imports the entry
 * again under a fresh URL (the failed import stays cached under the first one).
 */
import { type ResourceLimits, Worker } from 'node:worker_threads'

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads')
import(workerData.__entry).catch(async (err) => {
  if (!err || err.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err
  const { register } = await import(workerData.__tsx)
  register()
  await import(workerData.__entry + '?tsx')
})
`

export function startTsWorker(
  entry: URL,
  opts: { workerData?: Record<string, unknown>; execArgv?: string[]; resourceLimits?: ResourceLimits } = {},
): Worker {
  return new Worker(BOOTSTRAP, {
    eval: true,
    ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
    workerData: { ...opts.workerData, __entry: entry.href, __tsx: import.meta.resolve('tsx/esm/api') },
    execArgv: opts.execArgv ?? process.execArgv.filter((a) => !PROCESS_ONLY.test(a)),
  })
}

/** Flags a worker refuses (V8 heap sizing, profilers): they apply to the whole process anyway. */
const PROCESS_ONLY = /^--(max-|min-|cpu-prof|heap-prof|prof|semi-space|single-threaded)/

/** The sibling module `name` with this module's extension (.ts under tsx, .js when compiled). */
export function sibling(name: string, base: string): URL {
  const ext = base.endsWith('.ts') ? '.ts' : '.js'
  return new URL(`./${name}${ext}`, base)
}
