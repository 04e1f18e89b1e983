import { isRecord } from '../utils/guards'

/** Codes raised on the client; the server's codes (e.g. `GOODS_NOT_FOUND`) pass through as they are. */
export type ClientErrorCode = 'TRANSPORT_ERROR' | 'BAD_RESPONSE'

export class CloudError extends Error {
  constructor(
    readonly code: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message)
    this.name = 'CloudError'
  }
}

/** How the app reaches a cloud function: `wx.cloud` in the mini program, HTTP on H5 (./localCloud.ts). */
export type Transport = (name: string, data: Record<string, unknown>) => Promise<unknown>

type Envelope = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }

export function parseEnvelope(value: unknown): Envelope | null {
  if (!isRecord(value)) return null
  if (value['ok'] === true && 'data' in value) return { ok: true, data: value['data'] }
  const error = value['error']
  if (value['ok'] === false && isRecord(error) && typeof error['code'] === 'string') {
    return { ok: false, error: { code: error['code'], message: typeof error['message'] === 'string' ? error['message'] : error['code'] } }
  }
  return null
}

/** The function's `data`, or a CloudError carrying the function's stable error code. */
export function unwrap(name: string, value: unknown): unknown {
  const envelope = parseEnvelope(value)
  if (!envelope) throw new CloudError('BAD_RESPONSE', `${name}: 服务返回了无法识别的结果`, value)
  if (!envelope.ok) throw new CloudError(envelope.error.code, envelope.error.message)
  return envelope.data
}

export type WxCloud = { callFunction(options: { name: string; data: Record<string, unknown> }): Promise<{ result?: unknown }> }

export function weappTransport(cloud: WxCloud): Transport {
  return async (name, data) => {
    let res: { result?: unknown }
    try {
      res = await cloud.callFunction({ name, data })
    } catch (cause) {
      throw new CloudError('TRANSPORT_ERROR', '网络不给力，请稍后重试', cause)
    }
    return unwrap(name, res.result)
  }
}
