/**
 * `ddc` — the DDC command line. `ddc --help` lists the commands, `ddc <command> --help` explains one.
 * Exit codes: 0 ok, 1 usage/input, 2 not found, 3 conflict/unauthorized, 4 network/unavailable,
 * 5 verification failed.
 */
import { parseArgs } from 'node:util'
import type { Command } from './command.js'
import { accountCommands } from './commands/account.js'
import { batchCommand } from './commands/batch.js'
import { bucketCommands } from './commands/buckets.js'
import { devnetCommands } from './commands/devnet.js'
import { eventCommands } from './commands/events.js'
import { exportCommands } from './commands/export.js'
import { keyCommands } from './commands/keys.js'
import { serviceCommands } from './commands/node.js'
import { shareCommands } from './commands/share.js'
import { timelineCommands } from './commands/timeline.js'
import { verifyCommands } from './commands/verify.js'
import { Ctx, GLOBAL_HELP, GLOBAL_OPTIONS, type Values } from './context.js'
import { CliError, describeError, EXIT } from './output.js'

export const COMMANDS: Command[] = [
  ...keyCommands,
  ...bucketCommands,
  ...accountCommands,
  ...eventCommands,
  ...timelineCommands,
  ...shareCommands,
  ...verifyCommands,
  ...exportCommands,
  ...devnetCommands,
  ...serviceCommands,
]

const name = (c: Command) => c.path.join(' ')

function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => `${name(c)} ${c.args ?? ''}`.length))
  return `ddc — the DDC command line (decentralized data cloud: signed, encrypted, hash-linked timelines)

Usage: ddc <command> [arguments] [options]

Commands:
${COMMANDS.map((c) => `  ${`${name(c)} ${c.args ?? ''}`.padEnd(w)}  ${c.summary}`).join('\n')}

${GLOBAL_HELP}

Examples:
  ddc devnet up --fresh                     # a whole network on localhost (another terminal)
  export DDC_ACCOUNT='//Alice'
  ddc buckets list
  ddc events put 1 --type page_view --data '{"page":"/pricing"}'
  ddc timeline cat 1

Exit codes: 0 ok, 1 usage or input error, 2 not found, 3 conflict or unauthorized,
4 network or service unavailable, 5 verification failed.
Run \`ddc <command> --help\` for a command's options and examples.`
}

function commandHelp(c: Command): string {
  const opts = c.optionHelp?.length ? `\nOptions:\n${c.optionHelp.map((l) => `  ${l}`).join('\n')}\n` : ''
  return `ddc ${name(c)} — ${c.summary}

Usage: ddc ${name(c)}${c.args ? ` ${c.args}` : ''} [options]
${c.details ? `\n${c.details}\n` : ''}${opts}
Examples:
${c.examples.map((e) => `  ${e}`).join('\n')}

${GLOBAL_HELP}`
}

const VALUE_FLAGS = new Set(
  Object.entries(GLOBAL_OPTIONS)
    .filter(([, o]) => o.type === 'string')
    .map(([k]) => `--${k}`),
)

/** The words before the first option that is not a global one, skipping global options and their values. */
function leadingWords(argv: string[]): string[] {
  const words: string[] = []
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const a = argv[i] as string
    if (a === '--') break
    if (a.startsWith('-')) {
      if (VALUE_FLAGS.has(a)) i++
      else if (!(a in { '--json': 1, '--help': 1, '-h': 1 })) break
      continue
    }
    words.push(a)
  }
  return words
}

export async function run(argv: string[]): Promise<number> {
  const words = leadingWords(argv)
  const cmd =
    COMMANDS.find((c) => c.path.length === 2 && c.path[0] === words[0] && c.path[1] === words[1]) ??
    COMMANDS.find((c) => c.path.length === 1 && c.path[0] === words[0])
  if (!cmd) {
    if (words.length === 0 || words[0] === 'help') {
      const target = words[0] === 'help' ? argv.slice(argv.indexOf('help') + 1) : []
      if (target.length) return run([...target, '--help'])
      process.stdout.write(`${mainHelp()}\n`)
      return argv.some((a) => a === '--help' || a === '-h') || words[0] === 'help' ? EXIT.ok : EXIT.usage
    }
    const group = COMMANDS.filter((c) => c.path[0] === words[0])
    if (group.length) {
      const wantsHelp = argv.includes('--help') || argv.includes('-h')
      const text = `ddc ${words[0]} — subcommands:\n${group.map((c) => `  ddc ${name(c)} ${c.args ?? ''}  ${c.summary}`).join('\n')}\nRun \`ddc ${words[0]} <subcommand> --help\` for details.`
      if (wantsHelp) {
        process.stdout.write(`${text}\n`)
        return EXIT.ok
      }
      throw new CliError(
        words[1] ? `unknown command "ddc ${words[0]} ${words[1]}"` : `"ddc ${words[0]}" needs a subcommand`,
        'ERR_USAGE',
        `one of: ${group.map((c) => c.path[1]).join(', ')}`,
      )
    }
    throw new CliError(`unknown command "${words[0]}"`, 'ERR_USAGE', 'run `ddc --help` for the list of commands')
  }
  // Drop the command words; keep everything else in order.
  const rest = [...argv]
  for (const w of cmd.path) rest.splice(rest.indexOf(w), 1)
  if (cmd.passThrough) {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${commandHelp(cmd)}\n`)
      return EXIT.ok
    }
    return (await cmd.run(new Ctx({}), rest)) ?? EXIT.ok
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...cmd.options },
      allowPositionals: true,
      strict: true,
    })
  } catch (err) {
    throw new CliError(
      (err as Error).message.split('\n')[0] ?? 'bad arguments',
      'ERR_USAGE',
      `see \`ddc ${name(cmd)} --help\``,
    )
  }
  if (parsed.values.help) {
    process.stdout.write(`${commandHelp(cmd)}\n`)
    return EXIT.ok
  }
  return (await cmd.run(new Ctx(parsed.values as Values), parsed.positionals)) ?? EXIT.ok
}

/** Runs one command line as the binary does: errors as one line (and a hint) on stderr; answers the exit code. */
export async function execute(argv: string[]): Promise<number> {
  try {
    return await run(argv)
  } catch (err) {
    const e = describeError(err)
    process.stderr.write(`error: ${e.message} (${e.code})\n`)
    if (e.hint) process.stderr.write(`  ${e.hint}\n`)
    if (process.env.DDC_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`)
    return e.exit
  }
}

COMMANDS.push(batchCommand(execute))

export async function main(argv = process.argv.slice(2)): Promise<never> {
  const code = await execute(argv)
  // Let stdout drain before exiting (pipes).
  await new Promise<void>((r) => process.stdout.write('', () => r()))
  process.exit(code)
}

if (process.argv[1] && /(?:ddc(?:\.js)?|main\.ts)$/.test(process.argv[1])) await main()
