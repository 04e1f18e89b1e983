import type { IncomingMessage, ServerResponse } from 'node:http'
import { ArchiveError, unpackArchive } from '../runner/archive'
import type { FunctionRunner } from '../runner/runner'
import { HttpError, readBody, sendJson } from './body'

// POST /api/deploy/<name>: a built function folder as a .tar.gz (`npm run deploy -- <name>
// --target local`), swapped into the running cloud without a restart. It installs code that
// runs as the developer, so beyond the guard every request passes (Host, Origin, a content type
// no page can send cross-site without a preflight, which is never granted) it must come from a
// loopback socket.

export const DEPLOY_PREFIX = '/api/deploy/'
export const DEPLOY_CONTENT_TYPE = 'application/gzip'
/** A bundled function is ~2 MB, ~0.5 MB gzipped. */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/

export async function deployFunction(runner: FunctionRunner, req: IncomingMessage, res: ServerResponse, name: string, method: string): Promise<void> {
  if (method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `use POST with a ${DEPLOY_CONTENT_TYPE} body`)
  if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) throw new HttpError(403, 'FORBIDDEN', 'deploys are accepted from loopback callers only')
  if (!NAME.test(name)) throw new HttpError(400, 'INVALID_ARGUMENT', 'the function name must be 1-60 letters, digits, _ or -, starting with a letter')
  const body = await readBody(req, MAX_UPLOAD_BYTES)
  let files: Map<string, Buffer>
  try {
    files = unpackArchive(body)
  } catch (error) {
    if (error instanceof ArchiveError) throw new HttpError(400, 'INVALID_ARCHIVE', error.message)
    throw error
  }
  if (!files.has('index.js')) throw new HttpError(400, 'INVALID_ARCHIVE', 'the folder has no index.js')
  const deployed = await runner.deploy(name, files)
  console.log(`[local-cloud] deployed ${name} (build ${deployed.build.slice(0, 12)}${deployed.replaced ? ', replacing the running one' : ''})`)
  sendJson(res, 200, { ok: true, name, build: deployed.build, replaced: deployed.replaced })
}
