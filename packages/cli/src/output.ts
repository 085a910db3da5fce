/**
 * Output: human tables on stdout, or one JSON document with `--json`; errors as one line on stderr
 * (`error: <message> (<code>)`) plus a hint, and a stable exit code.
 */
/** A typed DDC error (duck-typed so that this module does not load @ddc/core). */
function isDdcError(err: unknown): err is Error & { code: string } {
  const code: unknown = (err as { code?: unknown } | null)?.code
  return (
    err instanceof Error && typeof code === 'string' && /^ERR_[A-Z_]+$/.test(code) && !code.startsWith('ERR_PARSE_ARGS')
  )
}

/** Exit codes (documented in the README). */
export const EXIT = {
  ok: 0,
  /** Bad usage or input. */
  usage: 1,
  /** Bucket, timeline or event not found. */
  notFound: 2,
  /** Conflict, unauthorized, expired. */
  denied: 3,
  /** Network error, service unavailable. */
  unavailable: 4,
  /** Data failed verification (signature, CID, link). */
  integrity: 5,
} as const

/** An error the CLI raises itself: a message, a stable code and what to do about it. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 'ERR_USAGE',
    readonly hint?: string,
  ) {
    super(message)
  }
}

const CODE_EXIT: Record<string, number> = {
  ERR_USAGE: EXIT.usage,
  ERR_INVALID_INPUT: EXIT.usage,
  ERR_INVALID_ADDRESS: EXIT.usage,
  ERR_TOO_LARGE: EXIT.usage,
  ERR_UNSUPPORTED_VERSION: EXIT.usage,
  ERR_NOT_CONFIGURED: EXIT.usage,
  ERR_MISSING_KEY: EXIT.usage,
  ERR_NOT_FOUND: EXIT.notFound,
  ERR_CONFLICT: EXIT.denied,
  ERR_UNAUTHORIZED: EXIT.denied,
  ERR_EXPIRED: EXIT.denied,
  ERR_REPLAY: EXIT.denied,
  ERR_REBASE_EXHAUSTED: EXIT.denied,
  ERR_UNAVAILABLE: EXIT.unavailable,
  ERR_NETWORK: EXIT.unavailable,
  ERR_TIMEOUT: EXIT.unavailable,
  ERR_BAD_SIGNATURE: EXIT.integrity,
  ERR_BAD_PROOF: EXIT.integrity,
  ERR_CID_MISMATCH: EXIT.integrity,
  ERR_BAD_LINK: EXIT.integrity,
  ERR_NON_CANONICAL: EXIT.integrity,
  ERR_DECRYPTION: EXIT.integrity,
  ERR_VERIFY: EXIT.integrity,
}

const HINTS: Record<number, string> = {
  [EXIT.usage]: 'see `ddc <command> --help`',
  [EXIT.notFound]: 'check the bucket id (`ddc buckets list`), owner address or CID',
  [EXIT.denied]: 'check --account: it must own the bucket or timeline, or hold a capability for it',
  [EXIT.unavailable]: 'is the network up? start one with `ddc devnet up`, or pass --network/--nodes/--chain',
  [EXIT.integrity]: 'the data did not verify; run `ddc verify <bucket> [owner]` for the first failure',
}

export function exitCodeOf(code: string): number {
  return CODE_EXIT[code] ?? EXIT.usage
}

/** Turns any error into `{ message, code, exit, hint }` (no stack traces). */
export function describeError(err: unknown): { message: string; code: string; exit: number; hint: string } {
  let message = err instanceof Error ? err.message : String(err)
  let code = 'ERR_INTERNAL'
  let hint: string | undefined
  if (err instanceof CliError) {
    code = err.code
    hint = err.hint
  } else if (isDdcError(err)) {
    code = err.code
  } else if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    code = 'ERR_TIMEOUT'
  } else if (err instanceof TypeError && /fetch failed/.test(message)) {
    code = 'ERR_NETWORK'
    const cause = (err as { cause?: { code?: string; message?: string } }).cause
    if (cause?.message) message = `${message}: ${cause.message}`
  } else if (err instanceof Error && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    code = 'ERR_USAGE'
  } else if (err instanceof SyntaxError) {
    code = 'ERR_INVALID_INPUT'
  } else if (err instanceof Error && typeof (err as { code?: unknown }).code === 'string') {
    const c = (err as unknown as { code: string }).code
    if (c === 'ENOENT' || c === 'EISDIR' || c === 'EACCES') code = 'ERR_INVALID_INPUT'
    else if (c === 'ECONNREFUSED') code = 'ERR_NETWORK'
  }
  const exit = exitCodeOf(code)
  return { message: message.split('\n')[0] ?? message, code, exit, hint: hint ?? HINTS[exit] ?? '' }
}

export class Output {
  constructor(readonly json: boolean) {}

  /** Prints `value` as JSON (with --json) or through `human`. */
  print(value: unknown, human: () => string): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`)
    else {
      const text = human()
      if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
    }
  }

  /** A status line for humans, on stderr (never mixed into --json output). */
  info(line: string): void {
    process.stderr.write(`${line}\n`)
  }
}

/** JSON for CIDs, bytes and bigints. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex')}`
  if (value && typeof value === 'object' && 'toV1' in value && 'multihash' in value) return String(value)
  return value
}

/** A plain text table: header row, then rows; columns padded to the widest cell. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))]
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}
