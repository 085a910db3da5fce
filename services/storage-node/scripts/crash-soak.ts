/** Crash soak (npm run soak): many SIGKILL/restart cycles under load. `-- --cycles 50`. */
import { runCrashDrill } from '../src/crash.js'

const at = process.argv.indexOf('--cycles')
const cycles = at >= 0 ? Number(process.argv[at + 1]) : 20
const report = await runCrashDrill({ cycles, clients: 6, killAfterMs: [100, 2000], verifyWorkers: 2, log: console.log })
console.log(JSON.stringify(report, null, 2))
if (report.lost || report.checkErrors.length) process.exitCode = 1
