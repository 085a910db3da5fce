/**
 * `ddc batch` — many commands in one process: scripts (and the CLI's own tests) pay the start-up
 * (TypeScript loader, Substrate crypto) once instead of per command. Each input line is a JSON
 * `{"args": [...], "env"?: {...}}`; each command runs as `ddc <args>` would, with `env` set around it,
 * and prints one JSON line `{args, exit, stdout, stderr}`. Commands write to the process streams, so
 * batch lends them a buffer for the duration of each line.
 */
import { readFileSync } from 'node:fs'
import type { Command } from '../command.js'
import { parseJson } from '../context.js'
import { CliError } from '../output.js'

interface Line {
  args: string[]
  env?: Record<string, string>
}

function parseLine(text: string, where: string): Line {
  const v = parseJson(text, where) as Partial<Line>
  if (!Array.isArray(v?.args) || !v.args.every((a) => typeof a === 'string'))
    throw new CliError(`${where}: needs "args", an array of strings`, 'ERR_INVALID_INPUT')
  if (v.args[0] === 'batch' && !v.args.includes('--help'))
    throw new CliError(`${where}: a batch cannot run a batch`, 'ERR_INVALID_INPUT')
  if (v.env !== undefined && (typeof v.env !== 'object' || Object.values(v.env).some((x) => typeof x !== 'string')))
    throw new CliError(`${where}: "env" must map names to strings`, 'ERR_INVALID_INPUT')
  return v as Line
}

type Write = typeof process.stdout.write

/** Runs `fn` with the process streams (and `env`) lent to it; answers what it wrote. */
async function captured(env: Record<string, string>, fn: () => Promise<number>) {
  const saved = { out: process.stdout.write, err: process.stderr.write, env: { ...process.env } }
  const out: string[] = []
  const err: string[] = []
  const sink =
    (into: string[]): Write =>
    (chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined
      cb?.()
      return true
    }
  Object.assign(process.env, env)
  process.stdout.write = sink(out)
  process.stderr.write = sink(err)
  try {
    const exit = await fn()
    return { exit, stdout: out.join(''), stderr: err.join('') }
  } finally {
    process.stdout.write = saved.out
    process.stderr.write = saved.err
    for (const k of Object.keys(process.env)) if (!(k in saved.env)) delete process.env[k]
    Object.assign(process.env, saved.env)
  }
}

/** `execute` runs one command line and answers its exit code (main.ts passes it in). */
export function batchCommand(execute: (argv: string[]) => Promise<number>): Command {
  return {
    path: ['batch'],
    summary: 'run many commands in one process: JSON lines {"args":[…],"env"?:{…}} in, one JSON result line each out',
    details:
      'Reads --file (default stdin). Every line runs as `ddc <args>` would, with "env" set for that line only,\nand prints {"args","exit","stdout","stderr"} as one JSON line. Start-up is paid once, so a script of many\ncommands runs several times faster. Exits 0 when every command did, else with the first failing exit code.\nCommands inside a batch cannot read stdin.',
    options: { file: { type: 'string', short: 'f' } },
    optionHelp: ['-f, --file <file>   the JSON lines (default: stdin)'],
    examples: [
      `printf '%s\\n' '{"args":["timeline","head","1","--json"]}' '{"args":["buckets","show","1","--json"]}' | ddc batch`,
      'ddc batch --file ops.jsonl > results.jsonl',
    ],
    async run(_ctx, args) {
      if (args.length)
        throw new CliError(`unexpected argument "${args[0]}"`, 'ERR_USAGE', 'usage: ddc batch [--file f]')
      const file = _ctx.str('file')
      const text = file ? readFileSync(file, 'utf8') : readFileSync(0, 'utf8')
      const lines = text
        .split('\n')
        .map((l, i) => [l, `${file ?? 'stdin'}:${i + 1}`] as const)
        .filter(([l]) => l.trim() !== '')
        .map(([l, where]) => parseLine(l, where))
      let first = 0
      for (const line of lines) {
        const r = await captured(line.env ?? {}, () => execute(line.args))
        if (r.exit !== 0 && first === 0) first = r.exit
        process.stdout.write(`${JSON.stringify({ args: line.args, ...r })}\n`)
      }
      return first
    },
  }
}
