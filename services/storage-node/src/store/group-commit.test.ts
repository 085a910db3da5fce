import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ClassicLevel } from 'classic-level'
import { GroupCommit } from './group-commit.js'

/** A stand-in for LevelDB's chained batch: records writes, and can be made to fail or stall. */
function fakeDb(opts: { fail?: (write: number) => boolean } = {}) {
  const writes: { ops: number; sync: boolean }[] = []
  let release: (() => void) | undefined
  const db = {
    batch() {
      let ops = 0
      return {
        put: () => void ops++,
        del: () => void ops++,
        async write(o: { sync: boolean }) {
          const n = writes.push({ ops, sync: o.sync })
          await new Promise<void>((r) => {
            release = r
          })
          if (opts.fail?.(n)) throw new Error('disk full')
        },
      }
    },
  }
  return { db: db as unknown as ClassicLevel<Buffer, Buffer>, writes, release: () => release?.() }
}

const op = (): [Buffer, Buffer] => [Buffer.of(1), Buffer.of(2)]
const tick = () => new Promise((r) => setImmediate(r))

describe('group commit', () => {
  it('joins what arrives during a write into the next synced batch', async () => {
    const f = fakeDb()
    const stats: number[] = []
    const gc = new GroupCommit(
      f.db,
      (s) => stats.push(s.requests),
      () => {},
    )
    const first = gc.add([op()], 1)
    await tick()
    const later = [gc.add([op(), op()], 2), gc.add([op()], 1), gc.add([op()], 1)]
    f.release()
    await first
    await tick()
    f.release()
    await Promise.all(later)
    assert.deepEqual(
      f.writes.map((w) => [w.ops, w.sync]),
      [
        [1, true],
        [4, true],
      ],
    )
    assert.deepEqual(stats, [1, 3])
    await gc.idle()
  })

  it('fails the batch that failed and everything queued behind it, and reports it', async () => {
    const f = fakeDb({ fail: (n) => n === 1 })
    const failures: string[] = []
    const gc = new GroupCommit(
      f.db,
      () => {},
      (err) => failures.push(err.message),
    )
    const a = gc.add([op()], 1)
    await tick()
    const b = gc.add([op()], 1)
    f.release()
    await assert.rejects(a, /disk full/)
    await assert.rejects(b, /disk full/)
    assert.deepEqual(failures, ['disk full'])
    assert.equal(f.writes.length, 1, 'the queued batch was not written on top of a failed one')
    const c = gc.add([op()], 1)
    await tick()
    f.release()
    await c
  })
})
