/** Types of client.mjs, kept free of Helia's own types so the repo typechecks without this folder installed. */
export interface GatewayClient {
  /** @helia/verified-fetch: `ipfs://{cid}` URLs; `accept` picks raw, CAR, dag-cbor … */
  fetch(resource: string, init?: RequestInit): Promise<Response>
  stop(): Promise<void>
}

export interface GatewayClientInit {
  transformRequestInit?: (init: RequestInit) => RequestInit | Promise<RequestInit>
}

/** Gateways are asked in the order given. */
export function gatewayClient(gateways: string | string[], init?: GatewayClientInit): Promise<GatewayClient>

export interface CarBlock {
  cid: { toString(): string }
  bytes: Uint8Array
}

export const CarReader: {
  fromBytes(bytes: Uint8Array): Promise<{
    getRoots(): Promise<{ toString(): string }[]>
    blocks(): AsyncIterable<CarBlock>
  }>
}
