// Stands in for the deprecated `request` package inside the bundled functions: wx-js-utils'
// WXPay only ever calls `request.post({ url, body, timeout, agentOptions }, callback)`.
// `request` and its dependency tree would be ~1.5 MB of every function bundle.
import http from 'node:http'
import https from 'node:https'

type Options = { url: string; body?: string; timeout?: number; agentOptions?: { ca?: string | Buffer; pfx?: string | Buffer; passphrase?: string } }
type Callback = (error: Error | null, response?: { statusCode: number }, body?: string) => void

export function post(options: Options, callback: Callback): void {
  let url: URL
  try {
    url = new URL(options.url)
  } catch (error) {
    callback(error as Error)
    return
  }
  const client = url.protocol === 'https:' ? https : http
  const body = Buffer.from(options.body ?? '', 'utf8')
  const tls = options.agentOptions ?? {}
  const req = client.request(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': body.length },
      timeout: options.timeout ?? 10_000,
      ...(url.protocol === 'https:' ? { ca: tls.ca, pfx: tls.pfx, passphrase: tls.passphrase } : {}),
    },
    (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => callback(null, { statusCode: res.statusCode ?? 0 }, Buffer.concat(chunks).toString('utf8')))
      res.on('error', (error) => callback(error))
    },
  )
  req.on('timeout', () => req.destroy(new Error(`request to ${url.host} timed out`)))
  req.on('error', (error) => callback(error))
  req.end(body)
}
