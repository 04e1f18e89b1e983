// What the WeChat Pay simulator needs from the rest of the local cloud.
// The local cloud (server.ts) implements these; the simulator's own tests may use in-memory fakes.

export type SimDoc = { _id: string } & Record<string, unknown>

/** Durable storage: a promise resolves only once the write is on disk. */
export interface SimStore {
  get(collection: string, id: string): Promise<SimDoc | null>
  /** Insert or replace the whole document. */
  put(collection: string, doc: SimDoc): Promise<void>
  /** Every document of the collection (small collections only). */
  all(collection: string): Promise<SimDoc[]>
}

export interface CallerContext {
  openid?: string
  appid?: string
  source: string
  functionName: string
}

export interface FunctionInvoker {
  /** Invoke a deployed function as the cloud would, with SOURCE=wx_paycallback and no OPENID. */
  invokePayCallback(functionName: string, event: unknown): Promise<unknown>
}

export interface HttpPoster {
  /** POST a body to a loopback URL; refuses any non-loopback host. */
  post(url: string, body: string, contentType: string): Promise<{ status: number; body: string }>
}

export interface SimClock {
  now(): number
  setTimeout(fn: () => void, ms: number): { cancel(): void }
}
