import type { IncomingMessage } from 'node:http'
import { HttpError } from './body'

// The local cloud listens on loopback, but any page a developer visits can reach it: through DNS
// rebinding (a foreign Host), or with cross-site posts a browser sends without asking (a foreign
// Origin, or a "simple" content type that skips the CORS preflight). Refused before anything runs.

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** What a route takes in a state-changing request: any body (XML callers), or these media types. */
export type Accepts = 'any' | readonly string[]

/** The error to answer instead of handling `req`, or undefined when it may proceed. `port` is the one bound. */
export function refusal(req: IncomingMessage, port: number, accepts: Accepts): HttpError | undefined {
  const own = [`127.0.0.1:${port}`, `localhost:${port}`]
  const host = (req.headers.host ?? '').toLowerCase()
  if (!own.includes(host)) return new HttpError(403, 'FORBIDDEN_HOST', `the local cloud answers only requests for ${own.join(' or ')}`)
  const origin = req.headers.origin
  if (origin !== undefined && !own.some((o) => origin.toLowerCase() === `http://${o}`)) {
    return new HttpError(403, 'FORBIDDEN_ORIGIN', 'the local cloud answers only pages it serves itself')
  }
  const method = req.method ?? 'GET'
  if (!STATE_CHANGING.has(method) || accepts === 'any') return undefined
  // A DELETE without a body has nothing to misread, and no browser sends one cross-site unasked.
  if (method === 'DELETE' && !hasBody(req)) return undefined
  const type = mediaType(req.headers['content-type'])
  if (accepts.includes(type)) return undefined
  return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `send ${accepts.join(' or ')}, not ${type || 'no content type'}`)
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase()
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? '0') > 0
}
