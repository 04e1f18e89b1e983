// GET / POST / DELETE /sim/faults: the fault control over HTTP (loopback callers only).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError, parseJsonBody, readBody, sendError, sendJson } from '../http/body'
import type { FaultControl } from './controller'
import { FaultInputError } from './spec'

export const FAULTS_PATH = '/sim/faults'

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/

export async function faultsEndpoint(faults: FaultControl, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) return sendError(res, 403, 'FORBIDDEN', 'the fault control answers loopback callers only')
  if (method === 'GET' || method === 'HEAD') return sendJson(res, 200, { faults: faults.list() })
  if (method === 'DELETE') {
    const cleared = faults.list().length
    faults.clear()
    return sendJson(res, 200, { cleared })
  }
  if (method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET, POST or DELETE')
  let input: unknown
  try {
    input = parseJsonBody(await readBody(req))
  } catch (error) {
    if (error instanceof HttpError && error.code === 'INVALID_JSON') return sendError(res, 400, 'INVALID_ARGUMENT', 'body is not valid JSON')
    throw error
  }
  try {
    return sendJson(res, 200, { added: faults.add(input as Parameters<FaultControl['add']>[0]), faults: faults.list() })
  } catch (error) {
    if (error instanceof FaultInputError) return sendError(res, 400, 'INVALID_ARGUMENT', error.message)
    throw error
  }
}
