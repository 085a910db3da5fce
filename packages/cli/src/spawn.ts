/** Runs a service's `src/main.ts` in the foreground (stdio inherited, Ctrl-C forwarded); resolves with its exit code. */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CliError } from './output.js'

export function mainOf(pkg: string): string {
  let entry: string
  try {
    entry = fileURLToPath(import.meta.resolve(pkg))
  } catch {
    throw new CliError(
      `${pkg} is not installed`,
      'ERR_NOT_CONFIGURED',
      `run from the DDC repository, or npm install ${pkg}`,
    )
  }
  return join(dirname(entry), 'main.ts')
}

export function runForeground(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  // An absolute specifier: `--import tsx` would resolve from the current folder, which may be anywhere.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  })
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig)
  const onInt = forward('SIGINT')
  const onTerm = forward('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolve(code ?? (signal ? 0 : 1))
    })
  })
}
