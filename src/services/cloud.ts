import Taro from '@tarojs/taro'
import { isRecord } from '../utils/guards'

/** Codes raised on the client; the server's codes (e.g. `GOODS_NOT_FOUND`) pass through as-is. */
export type ClientErrorCode = 'TRANSPORT_ERROR' | 'BAD_RESPONSE'

export class CloudError extends Error {
  readonly code: string
  override readonly cause: unknown

  constructor(code: string, message: string, cause?: unknown) {
    super(message)
    this.name = 'CloudError'
    this.code = code
    this.cause = cause
  }
}

type Envelope = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }

function parseEnvelope(value: unknown): Envelope | null {
  if (!isRecord(value)) return null
  if (value.ok === true && 'data' in value) return { ok: true, data: value.data }
  const error = value.error
  if (value.ok === false && isRecord(error) && typeof error.code === 'string') {
    const message = typeof error.message === 'string' ? error.message : error.code
    return { ok: false, error: { code: error.code, message } }
  }
  return null
}

function unwrap(name: string, value: unknown): unknown {
  const envelope = parseEnvelope(value)
  if (!envelope) throw new CloudError('BAD_RESPONSE', `${name}: unexpected result`, value)
  if (!envelope.ok) throw new CloudError(envelope.error.code, envelope.error.message)
  return envelope.data
}

const OPENID_KEY = 'localOpenid'

/** The H5 build's caller id: random and non-numeric (the SDK parseInt-s numeric-looking ids). */
function localOpenid(): string {
  const stored: unknown = Taro.getStorageSync(OPENID_KEY)
  if (typeof stored === 'string' && stored !== '') return stored
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  const id = 'local-' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
  Taro.setStorageSync(OPENID_KEY, id)
  return id
}

async function callWeapp(name: string, data: unknown): Promise<unknown> {
  try {
    const res = await Taro.cloud.callFunction({ name, data: data as Record<string, unknown> })
    return res.result
  } catch (cause) {
    throw new CloudError('TRANSPORT_ERROR', `${name}: call failed`, cause)
  }
}

async function callHttp(name: string, data: unknown): Promise<unknown> {
  let res: Response
  try {
    res = await fetch('/api/functions/' + encodeURIComponent(name), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-WX-OPENID': localOpenid() },
      body: JSON.stringify(data)
    })
  } catch (cause) {
    throw new CloudError('TRANSPORT_ERROR', `${name}: network error`, cause)
  }
  const body: unknown = await res.json().catch(() => null)
  // An error envelope is meaningful whatever the status; anything else on a non-2xx is transport.
  if (!res.ok && !parseEnvelope(body)) {
    throw new CloudError('TRANSPORT_ERROR', `${name}: HTTP ${res.status}`, body)
  }
  return body
}

/**
 * Calls a cloud function and returns its `data`, or throws a CloudError.
 * `T` is not checked here: keep it `unknown` and parse the result at the call site.
 */
export async function callFunction<T = unknown>(name: string, data: unknown): Promise<T> {
  const result = process.env.TARO_ENV === 'weapp' ? await callWeapp(name, data) : await callHttp(name, data)
  return unwrap(name, result) as T
}
