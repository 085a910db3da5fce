/**
 * The dev chain's block stream over WebSocket (`/ws?stream=finalized&from=N`), as an async iterable
 * that survives reconnects: after a dropped socket it resumes from the block after the last one it
 * delivered, so consumers see every block once, in order. Uses the platform WebSocket (browsers,
 * Node ≥ 22) and falls back to `ws` on Node 20.
 */
import { createFeed } from '../feed.js'
import type { WireBlockMessage } from './wire.js'

interface MinimalSocket {
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: unknown) => void) | null
  onerror: ((ev: unknown) => void) | null
  close(): void
}
type SocketCtor = new (url: string) => MinimalSocket

async function socketCtor(): Promise<SocketCtor> {
  const native = (globalThis as { WebSocket?: SocketCtor }).WebSocket
  if (native) return native
  const ws = await import('ws')
  return ws.WebSocket as unknown as SocketCtor
}

export interface BlockStreamInit {
  /** http(s) base URL of the chain node. */
  url: string
  stream: 'finalized' | 'best'
  from?: number
  signal?: AbortSignal
  reconnectMs?: number
}

export function blockStream(init: BlockStreamInit): AsyncIterable<WireBlockMessage> {
  let socket: MinimalSocket | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let next = init.from
  const feed = createFeed<WireBlockMessage>({
    signal: init.signal,
    onClose: () => {
      clearTimeout(timer)
      socket?.close()
    },
  })

  const connect = async () => {
    if (feed.closed) return
    const Ctor = await socketCtor()
    const u = new URL('/ws', init.url)
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:'
    u.searchParams.set('stream', init.stream)
    if (next !== undefined) u.searchParams.set('from', String(next))
    if (feed.closed) return
    const s = new Ctor(u.toString())
    socket = s
    s.onmessage = (ev) => {
      const msg = JSON.parse(typeof ev.data === 'string' ? ev.data : String(ev.data)) as WireBlockMessage
      if (msg.type !== 'block') return
      if (next !== undefined && msg.block.number < next) return
      next = msg.block.number + 1
      feed.push(msg)
    }
    s.onerror = () => {}
    s.onclose = () => {
      if (feed.closed || socket !== s) return
      timer = setTimeout(() => void connect(), init.reconnectMs ?? 500)
    }
  }
  void connect().catch((err) => feed.end(err))
  return feed
}
