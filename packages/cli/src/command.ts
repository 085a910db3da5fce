/** The shape of a command: its path (`['events', 'put']`), help text, options and what it does. */
import type { ParseArgsConfig } from 'node:util'
import type { Ctx } from './context.js'

export interface Command {
  path: string[]
  /** `<bucket> [owner]` … */
  args?: string
  summary: string
  /** Longer help, after the usage line. */
  details?: string
  options?: NonNullable<ParseArgsConfig['options']>
  /** Lines of `--flag …  description`. */
  optionHelp?: string[]
  examples: string[]
  /** When the command takes everything after it as-is (service launchers). */
  passThrough?: boolean
  run(ctx: Ctx, args: string[]): Promise<number | undefined> | number | undefined
}
