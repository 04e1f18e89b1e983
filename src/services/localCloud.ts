import { isRecord } from '../utils/guards'
import { CloudError, parseEnvelope, unwrap, type Transport } from './transport'

// H5 only: how the browser build reaches the local cloud. The mini program never imports this
// module (it gets src/stores/platform.ts, not platform.h5.ts), so none of it reaches dist/weapp.

export type HttpTransportOptions = { fetch: typeof fetch; baseUrl: string; openid: () => string }

/** The H5 build's way in: the local cloud's `POST /api/functions/<name>`, as a per-browser shopper. */
export function httpTransport({ fetch, baseUrl, openid }: HttpTransportOptions): Transport {
  return async (name, data) => {
    let res: Response
    try {
      res = await fetch(`${baseUrl}/api/functions/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-WX-OPENID': openid() },
        body: JSON.stringify(data),
      })
    } catch (cause) {
      throw new CloudError('TRANSPORT_ERROR', '网络不给力，请稍后重试', cause)
    }
    const body: unknown = await res.json().catch(() => null)
    // An error envelope means what it says whatever the status; anything else off 2xx is transport.
    if (!res.ok && !parseEnvelope(body)) {
      const gatewayError = isRecord(body) && isRecord(body['error']) ? String(body['error']['message'] ?? '') : ''
      throw new CloudError('TRANSPORT_ERROR', gatewayError || `服务暂时不可用（HTTP ${res.status}）`, body)
    }
    return unwrap(name, body)
  }
}

/** The H5 shopper's id: random, non-numeric (the SDK parseInt-s numeric-looking ids), kept per browser. */
export function browserOpenid(storage: { get(key: string): unknown; set(key: string, value: string): void }, random: () => Uint8Array): string {
  const stored = storage.get('localOpenid')
  if (typeof stored === 'string' && /^local-[0-9a-f]{24}$/.test(stored)) return stored
  const id = `local-${Array.from(random(), (b) => b.toString(16).padStart(2, '0')).join('')}`
  storage.set('localOpenid', id)
  return id
}

/** What a tap in the simulated cashier does: tell the local cloud's pay simulator. */
export async function simPay(outTradeNo: string, result: 'SUCCESS' | 'FAIL'): Promise<void> {
  const res = await fetch('/sim/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outTradeNo, result }) })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
    throw new Error(body?.error?.message ?? `支付服务不可用（HTTP ${res.status}）`)
  }
}
