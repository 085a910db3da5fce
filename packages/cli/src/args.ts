import { CliError } from './output.js'

/** The positional argument `i`, or a usage error naming it. */
export function need(args: string[], i: number, what: string, cmd: string): string {
  const v = args[i]
  if (v === undefined || v === '') throw new CliError(`missing <${what}>`, 'ERR_USAGE', `usage: ddc ${cmd}`)
  return v
}

export function noMore(args: string[], n: number, cmd: string): void {
  if (args.length > n) throw new CliError(`unexpected argument "${args[n]}"`, 'ERR_USAGE', `usage: ddc ${cmd}`)
}
