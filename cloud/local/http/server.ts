import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DbError } from '../db/errors'
import type { DatabaseProtocol } from '../db/protocol'
import { API_OF_V2_PATH, apiV2Refusal, applyGatewayFault, cloudPayRefusal, FAULTS_PATH, faultsEndpoint, InjectedCrash, type FaultController } from '../faults'
import { PaySimError, type PaySimErrorCode } from '../pay/errors'
import type { PaySimulator } from '../pay/simulator'
import type { FunctionRunner, InvokeOutcome } from '../runner/runner'
import { BROWSER_UPLOAD_PATH, STORAGE_PREFIX, type LocalStorage } from '../storage/storage'
import { HttpError, parseJsonBody, readBody, sendError, sendJson } from './body'
import { DEPLOY_CONTENT_TYPE, DEPLOY_PREFIX, deployFunction } from './deploy'
import { refusal, type Accepts } from './guard'
import { parseMultipart } from './multipart'
import { OPENAPI_ACTION, OPENAPI_SIM_PREFIX, type OpenApiEmulator } from '../openapi/emulator'
import { serveFile } from './static'

export type Routes = {
  db: DatabaseProtocol
  runner: FunctionRunner
  sim: PaySimulator
  h5Dir: string
  picturesDir: string
  health: () => Record<string, unknown>
  /** Cloud storage: `storage.*` actions on /admin, files at /storage/<path>. */
  storage?: LocalStorage
  /** Test-only fault injection (POST /sim/faults). */
  faults?: FaultController
  /** `cloud.openapi.*` (action wx.openApi on /admin) and its test hooks under /sim/openapi/. */
  openapi?: OpenApiEmulator
}

const APIV2_PATHS = new Set(['/pay/unifiedorder', '/pay/orderquery', '/pay/closeorder', '/secapi/pay/refund', '/pay/refundquery'])
const SIM_ERROR_STATUS: Record<PaySimErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  TRADE_NOT_FOUND: 404,
  TRADE_AMBIGUOUS: 409,
  TRADE_CLOSED: 409,
  TRADE_ALREADY_PAID: 409,
  TRADE_EXPIRED: 409,
  CALLER_UNKNOWN: 403,
  UNKNOWN_API: 404,
  STORE_ERROR: 500,
  CONFIG_ERROR: 500,
}
const OPENID = /^(?!\d+$)[A-Za-z0-9_-]{1,64}$/
const JSON_ONLY: Accepts = ['application/json']
// What wx-server-sdk sends: JSON for database actions, multipart for cloud.cloudPay (wx.wxPayApi).
const ADMIN_ACCEPTS: Accepts = ['application/json', 'multipart/form-data']
// A function folder, gzipped (npm run deploy -- <name> --target local): not a type a page can post cross-site unasked.
const DEPLOY_ACCEPTS: Accepts = [DEPLOY_CONTENT_TYPE]

export function listen(routes: Routes, port: number): Promise<{ server: Server; port: number }> {
  // The port actually bound (`port` may be 0): the only one a request may name in Host or Origin.
  let boundPort = port
  const server = createServer((req, res) => {
    handle(routes, req, res, boundPort).catch((error: unknown) => {
      if (error instanceof HttpError) {
        // The rest of an oversized or refused body is never read: this connection cannot carry another request.
        if (error.status === 413 || error.status === 403 || error.status === 415) res.setHeader('connection', 'close')
        sendError(res, error.status, error.code, error.message)
      } else {
        console.error('[local-cloud] unexpected error', error)
        if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'the local cloud failed to handle this request')
        else res.destroy()
      }
    })
  })
  server.keepAliveTimeout = 5000
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      boundPort = (server.address() as AddressInfo).port
      resolve({ server, port: boundPort })
    })
  })
}

async function handle(routes: Routes, req: IncomingMessage, res: ServerResponse, boundPort: number): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const method = req.method ?? 'GET'
  const { pathname } = url
  // Storage uploads are the SDK's bare PUT (no content type); a page cannot PUT cross-site without a CORS preflight.
  const accepts =
    pathname.startsWith('/api/http/') || APIV2_PATHS.has(pathname) || pathname.startsWith(STORAGE_PREFIX)
      ? 'any'
      : pathname === '/admin'
        ? ADMIN_ACCEPTS
        : pathname.startsWith(DEPLOY_PREFIX)
          ? DEPLOY_ACCEPTS
          : JSON_ONLY
  const refused = refusal(req, boundPort, accepts)
  if (refused) throw refused

  if (pathname === '/healthz' && (method === 'GET' || method === 'HEAD')) return sendJson(res, 200, { ok: true, ...routes.health() })
  if (pathname === '/admin' && method === 'POST') return admin(routes, req, res)
  if (pathname.startsWith('/api/functions/')) return callFunction(routes, req, res, pathname.slice('/api/functions/'.length), method)
  if (pathname === '/api/invocations' && method === 'POST') return externalInvocation(routes, req, res)
  if (pathname.startsWith(DEPLOY_PREFIX)) return deployFunction(routes.runner, req, res, pathname.slice(DEPLOY_PREFIX.length), method)
  if (pathname === BROWSER_UPLOAD_PATH && method === 'POST' && routes.storage) return routes.storage.browserUpload(req, res, url.searchParams.get('path'))
  if (pathname.startsWith(STORAGE_PREFIX) && routes.storage) return routes.storage.http(req, res, pathname.slice(STORAGE_PREFIX.length))
  if (pathname.startsWith('/api/http/')) return httpTrigger(routes, req, res, pathname.slice('/api/http/'.length), url)
  if (APIV2_PATHS.has(pathname)) {
    if (method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST')
    const xmlBody = (await readBody(req)).toString('utf8')
    const { faults } = routes
    const fault = faults?.takeGateway(API_OF_V2_PATH[pathname] ?? '', 'merchant')
    if (faults && fault) {
      return applyGatewayFault(fault, res, { process: () => routes.sim.apiV2(pathname, xmlBody), refusal: (r) => apiV2Refusal(faults.answers, xmlBody, r) })
    }
    const xml = await routes.sim.apiV2(pathname, xmlBody)
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
    res.end(xml)
    return
  }
  if (pathname === '/sim/pay' && method === 'POST') {
    const input = parseJsonBody(await readBody(req))
    try {
      return sendJson(res, 200, await routes.sim.simPay(input))
    } catch (error) {
      if (!(error instanceof PaySimError)) throw error
      return sendError(res, SIM_ERROR_STATUS[error.code], error.code, error.message)
    }
  }
  if (pathname === FAULTS_PATH && routes.faults) return faultsEndpoint(routes.faults, req, res, method)
  if (pathname.startsWith(OPENAPI_SIM_PREFIX) && routes.openapi) return routes.openapi.http(req, res, pathname, method)
  if (pathname === '/sim/notifications' && method === 'GET') {
    const outTradeNo = url.searchParams.get('outTradeNo') ?? undefined
    return sendJson(res, 200, { notifications: await routes.sim.listNotifications({ outTradeNo }) })
  }
  if (method === 'GET' || method === 'HEAD') {
    if (pathname.startsWith('/static/goods/')) {
      if (await serveFile(res, routes.picturesDir, pathname.slice('/static/goods/'.length), method)) return
      return sendError(res, 404, 'NOT_FOUND', 'no such picture')
    }
    if (await serveFile(res, routes.h5Dir, pathname === '/' ? 'index.html' : pathname, method)) return
    if (!pathname.includes('.') && (await serveFile(res, routes.h5Dir, 'index.html', method))) return
    if (pathname === '/') {
      return sendError(res, 404, 'H5_NOT_BUILT', 'the H5 app is not built: run `npm run build:h5` (npm start does it for you)')
    }
  }
  sendError(res, 404, 'NOT_FOUND', `no route for ${method} ${pathname}`)
}

/** The endpoint the real wx-server-sdk talks to: database actions (JSON) and cloudPay (multipart). */
async function admin(routes: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomBytes(8).toString('hex')
  const body = await readBody(req, 8 * 1024 * 1024)
  const contentType = req.headers['content-type'] ?? ''
  if (contentType.startsWith('multipart/form-data')) {
    const fields = await parseMultipart(contentType, body)
    const action = fields.get('action')?.toString()
    if (action === OPENAPI_ACTION && routes.openapi) return routes.openapi.admin(fields, res, requestId)
    if (action !== 'wx.wxPayApi')
      return sendJson(res, 200, { requestId, code: 'ACTION_NOT_SUPPORTED', message: `action ${action} is not supported by the local cloud` })
    const token = fields.get('wxCloudApiToken')?.toString() ?? ''
    let requestData: unknown
    try {
      requestData = JSON.parse(fields.get('requestData')?.toString() ?? '')
    } catch {
      return sendJson(res, 200, { requestId, code: 'INVALID_PARAM', message: 'requestData is not JSON' })
    }
    const apiName = fields.get('apiName')?.toString() ?? ''
    const { faults } = routes
    const fault = faults?.takeGateway(apiName, 'cloudpay')
    if (faults && fault) {
      return applyGatewayFault(fault, res, {
        process: () => routes.sim.cloudPayApi(apiName, requestData, token),
        refusal: (r) => cloudPayRefusal(faults.answers, requestData, r),
      })
    }
    let answer: Record<string, unknown>
    try {
      answer = await routes.sim.cloudPayApi(apiName, requestData, token)
    } catch (error) {
      if (!(error instanceof PaySimError)) throw error
      // A platform-level refusal, as the cloud reports one: `{ code, message }` in JSON.
      return sendJson(res, 200, { requestId, code: error.code === 'CALLER_UNKNOWN' ? 'PERMISSION_DENIED' : error.code, message: error.message })
    }
    // Not `application/json; charset=utf-8`: the SDK then treats the body as the pay API's answer.
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    res.end(JSON.stringify(answer))
    return
  }
  const params = parseJsonBody(body)
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new HttpError(400, 'INVALID_PARAM', 'body must be an object')
  const action = (params as { action?: unknown }).action
  if (typeof action !== 'string') return sendJson(res, 200, { requestId, code: 'INVALID_PARAM', message: 'action is required' })
  if (action.startsWith('storage.') && routes.storage)
    return sendJson(res, 200, await routes.storage.admin(action, params as Record<string, unknown>, requestId))
  try {
    sendJson(res, 200, await routes.db.handle(action, params as Record<string, unknown>, requestId))
  } catch (error) {
    // An injected crash whose handler let the process live: the caller gets no reply, as if it had died.
    if (error instanceof InjectedCrash) return void res.destroy()
    if (!(error instanceof DbError)) throw error
    sendJson(res, 200, { requestId, code: error.code, message: error.message })
  }
}

async function callFunction(routes: Routes, req: IncomingMessage, res: ServerResponse, name: string, method: string): Promise<void> {
  if (method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST with a JSON event')
  if (!routes.runner.exists(name)) return sendError(res, 404, 'FUNCTION_NOT_FOUND', `function ${name} is not deployed (run npm run build:functions)`)
  const openid = req.headers['x-wx-openid']
  if (typeof openid !== 'string' || !OPENID.test(openid)) {
    throw new HttpError(400, 'INVALID_OPENID', 'the X-WX-OPENID header must be 1-64 characters of [A-Za-z0-9_-], not all digits')
  }
  const event = parseJsonBody(await readBody(req))
  const outcome = await routes.runner.invoke(name, event, { source: 'wx_client', openid, clientIp: req.socket.remoteAddress })
  sendOutcome(res, outcome, (result) => sendJson(res, 200, result))
}

/**
 * `{ functionName, openid?, source? }` → `{ token }`: a caller the local cloud honours for a
 * minute, for running one invocation in a process of your own (a debugger, the cold-start
 * benchmark), which builds its environment itself (`invocationEnv`). No environment is returned.
 */
async function externalInvocation(routes: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = parseJsonBody(await readBody(req)) as { functionName?: unknown; openid?: unknown; source?: unknown } | null
  const name = body?.functionName
  const openid = body?.openid
  const source = body?.source ?? 'wx_client'
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,59}$/.test(name)) throw new HttpError(400, 'INVALID_ARGUMENT', 'functionName is required')
  if (openid !== undefined && (typeof openid !== 'string' || !OPENID.test(openid))) throw new HttpError(400, 'INVALID_OPENID', 'openid is not valid')
  if (source !== 'wx_client' && source !== 'wx_paycallback' && source !== 'timer')
    throw new HttpError(400, 'INVALID_ARGUMENT', 'source must be wx_client, wx_paycallback or timer')
  sendJson(res, 200, { token: routes.runner.registerCaller(name, { source, openid: openid as string | undefined }) })
}

/** An HTTP-trigger invocation (how merchant-mode pay notifications reach `payNotify`). */
async function httpTrigger(routes: Routes, req: IncomingMessage, res: ServerResponse, name: string, url: URL): Promise<void> {
  if (!routes.runner.exists(name)) return sendError(res, 404, 'FUNCTION_NOT_FOUND', `function ${name} is not deployed`)
  const body = await readBody(req)
  const headers: Record<string, string> = {}
  for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value
  const text = body.toString('utf8')
  const binary = !Buffer.from(text, 'utf8').equals(body)
  const event = {
    path: `/${name}`,
    httpMethod: req.method ?? 'GET',
    headers,
    queryStringParameters: Object.fromEntries(url.searchParams),
    body: binary ? body.toString('base64') : text,
    isBase64Encoded: binary,
  }
  const outcome = await routes.runner.invoke(name, event, { source: 'wx_http', clientIp: req.socket.remoteAddress })
  sendOutcome(res, outcome, (result) => {
    const r = result as { statusCode?: unknown; headers?: unknown; body?: unknown; isBase64Encoded?: unknown } | null
    if (r && typeof r === 'object' && typeof r.statusCode === 'number') {
      const responseHeaders: Record<string, string> = {}
      if (r.headers && typeof r.headers === 'object') {
        for (const [key, value] of Object.entries(r.headers)) if (typeof value === 'string') responseHeaders[key] = value
      }
      const payload = typeof r.body === 'string' ? Buffer.from(r.body, r.isBase64Encoded === true ? 'base64' : 'utf8') : Buffer.alloc(0)
      res.writeHead(r.statusCode, responseHeaders)
      res.end(payload)
      return
    }
    sendJson(res, 200, result)
  })
}

function sendOutcome(res: ServerResponse, outcome: InvokeOutcome, ok: (result: unknown) => void): void {
  if (outcome.ok) return ok(outcome.result)
  const status = outcome.code === 'FUNCTION_TIMEOUT' ? 504 : 502
  sendError(res, status, outcome.code, outcome.message)
}
