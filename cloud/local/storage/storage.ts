import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError, readBody, sendError, sendJson } from '../http/body'
import { FileConflict, FileStore } from './files'
import { bucketOf, contentTypeOf, fileIdOf, parseFileId, pathProblem } from './paths'

// Cloud storage as @cloudbase/node-sdk 3.17.2 (inside wx-server-sdk 4.0.2) uses it
// (node_modules/@cloudbase/node-sdk/dist/storage/index.js):
// - uploadFile: `storage.getUploadMetadata { path, method: 'put' }` on /admin answers
//   `{ url, token, authorization, fileId, cosFileId }`; the SDK then PUTs the raw bytes to `url`
//   with headers `authorization`, `x-cos-security-token`, `x-cos-meta-fileid`, `key`, and reads
//   the answer as COS XML: empty means success, `<Error>` a failure.
// - getTempFileURL / downloadFile: `storage.batchGetDownloadUrl { file_list: [{ fileid, max_age }] }`
//   answers `download_list: [{ fileID, tempFileURL, code, maxAge }]`; downloadFile GETs
//   `encodeURI(tempFileURL)`.
// - deleteFile: `storage.batchDeleteFile { fileid_list }` answers `delete_list: [{ fileID, code }]`.

export const STORAGE_PREFIX = '/storage/'
/** The largest upload the local cloud takes (the cloud's own limit is far larger; this is a laptop). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024
/** Files per getTempFileURL / deleteFile call, as the cloud documents. */
export const MAX_BATCH = 50
/**
 * `POST /storage/upload?path=goods/<name>`: the H5 build's picture upload (the weapp uploads with
 * wx.cloud.uploadFile, which the browser has no way to call). Pictures only, under `goods/`.
 */
export const BROWSER_UPLOAD_PATH = '/storage/upload'
export const BROWSER_UPLOAD_FOLDER = 'goods/'
export const MAX_PICTURE_BYTES = 5 * 1024 * 1024
/** The picture types taken, each with how its file starts (what the browser says is checked against the bytes). */
const PICTURES: Record<string, { ext: readonly string[]; magic: (b: Buffer) => boolean }> = {
  'image/png': { ext: ['png'], magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  'image/jpeg': { ext: ['jpg', 'jpeg'], magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  'image/gif': { ext: ['gif'], magic: (b) => b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a' },
  'image/webp': { ext: ['webp'], magic: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
}
const UPLOAD_TTL_MS = 10 * 60 * 1000
const MAX_PENDING_UPLOADS = 1000
const DEFAULT_MAX_AGE = 86400

type Reply = Record<string, unknown>
type PendingUpload = { path: string; authorization: string; expires: number }

export class LocalStorage {
  private readonly files: FileStore
  /** Upload tickets handed out by getUploadMetadata, by security token: single use, short lived. */
  private readonly pending = new Map<string, PendingUpload>()

  constructor(
    dir: string,
    private readonly envId: string,
    /** This local cloud's own URL (`http://127.0.0.1:PORT`), known once it listens. */
    private readonly baseUrl: () => string,
    private readonly now: () => number = Date.now,
  ) {
    this.files = new FileStore(dir)
  }

  /** A `storage.*` action posted to /admin; every other action is not this module's. */
  async admin(action: string, params: Record<string, unknown>, requestId: string): Promise<Reply> {
    switch (action) {
      case 'storage.getUploadMetadata':
        return { requestId, ...this.uploadMetadata(params) }
      case 'storage.batchGetDownloadUrl':
        return { requestId, ...(await this.downloadUrls(params)) }
      case 'storage.batchDeleteFile':
        return { requestId, ...(await this.deleteFiles(params)) }
      default:
        return { requestId, code: 'ACTION_NOT_SUPPORTED', message: `action ${action} is not supported by the local cloud` }
    }
  }

  private uploadMetadata(params: Record<string, unknown>): Reply {
    const cloudPath = params['path']
    const problem = pathProblem(cloudPath)
    if (problem) return { code: 'INVALID_PARAM', message: problem }
    const path = cloudPath as string
    const now = this.now()
    for (const [token, ticket] of this.pending) if (ticket.expires <= now || this.pending.size >= MAX_PENDING_UPLOADS) this.pending.delete(token)
    const token = randomBytes(16).toString('hex')
    const authorization = randomBytes(16).toString('hex')
    this.pending.set(token, { path, authorization, expires: now + UPLOAD_TTL_MS })
    const fileId = fileIdOf(this.envId, path)
    return {
      data: {
        url: this.urlOf(path),
        token,
        authorization,
        fileId,
        cosFileId: `${bucketOf(this.envId)}/${path}`,
        download_url: this.urlOf(path),
      },
    }
  }

  private async downloadUrls(params: Record<string, unknown>): Promise<Reply> {
    const list = params['file_list']
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH)
      return { code: 'INVALID_PARAM', message: `file_list must hold 1 to ${MAX_BATCH} files` }
    const answers = await Promise.all(
      list.map(async (item: unknown) => {
        const entry = (item ?? {}) as { fileid?: unknown; max_age?: unknown }
        const maxAge = typeof entry.max_age === 'number' && entry.max_age > 0 ? entry.max_age : DEFAULT_MAX_AGE
        const code = await this.fileCode(entry.fileid)
        const path = parseFileId(entry.fileid)?.path ?? ''
        return { fileID: entry.fileid, tempFileURL: code === 'SUCCESS' ? this.urlOf(path) : '', code, maxAge }
      }),
    )
    return { data: { download_list: answers } }
  }

  private async deleteFiles(params: Record<string, unknown>): Promise<Reply> {
    const list = params['fileid_list']
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH)
      return { code: 'INVALID_PARAM', message: `fileid_list must hold 1 to ${MAX_BATCH} files` }
    const answers: { fileID: unknown; code: string }[] = []
    // One at a time: the reply is sent only once every removal is durable.
    for (const fileId of list as unknown[]) {
      let code = await this.fileCode(fileId)
      if (code === 'SUCCESS' && !(await this.files.remove(parseFileId(fileId)!.path))) code = 'STORAGE_FILE_NONEXIST'
      answers.push({ fileID: fileId, code })
    }
    return { data: { delete_list: answers } }
  }

  /** SUCCESS when `fileId` names a stored file of this environment, else the code the cloud uses. */
  private async fileCode(fileId: unknown): Promise<string> {
    const parsed = parseFileId(fileId)
    if (!parsed || pathProblem(parsed.path)) return 'INVALID_PARAM'
    if (parsed.envId !== this.envId || parsed.bucket !== bucketOf(this.envId)) return 'STORAGE_EXCEED_AUTHORITY'
    return (await this.files.exists(parsed.path)) ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST'
  }

  /** Unencoded, as the cloud answers: the SDK applies encodeURI before fetching it. */
  private urlOf(cloudPath: string): string {
    return `${this.baseUrl()}${STORAGE_PREFIX}${cloudPath}`
  }

  /**
   * The browser's upload (`BROWSER_UPLOAD_PATH`): the raw bytes of one PNG, JPEG, GIF or WebP
   * picture, its type in Content-Type and in its first bytes, at most MAX_PICTURE_BYTES, to a new
   * path under `goods/` whose extension fits the type (an existing file is never replaced).
   * Answers `{ fileID, url }` — the file id to store, the URL to show it now. The guard in
   * http/server.ts has already refused foreign hosts and origins; the picture content type is not
   * one a page may post cross-site without a preflight, which nothing here answers.
   */
  async browserUpload(req: IncomingMessage, res: ServerResponse, cloudPath: string | null): Promise<void> {
    const refuse = (status: number, code: string, message: string): void => {
      req.resume()
      if (status === 413) res.setHeader('connection', 'close')
      sendError(res, status, code, message)
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    const picture = PICTURES[type]
    if (!picture) return refuse(415, 'NOT_A_PICTURE', `send a picture: ${Object.keys(PICTURES).join(', ')}`)
    const problem = pathProblem(cloudPath)
    if (problem || !cloudPath) return refuse(400, 'INVALID_PATH', problem ?? 'path is required')
    if (!cloudPath.startsWith(BROWSER_UPLOAD_FOLDER) || cloudPath.slice(BROWSER_UPLOAD_FOLDER.length).includes('/'))
      return refuse(400, 'INVALID_PATH', `pictures go directly under ${BROWSER_UPLOAD_FOLDER}`)
    const ext = cloudPath.slice(cloudPath.lastIndexOf('.') + 1).toLowerCase()
    if (!cloudPath.includes('.') || !picture.ext.includes(ext)) return refuse(400, 'INVALID_PATH', `a ${type} picture is named .${picture.ext.join(' or .')}`)
    if (Number(req.headers['content-length'] ?? '0') > MAX_PICTURE_BYTES)
      return refuse(413, 'TOO_LARGE', `pictures over ${MAX_PICTURE_BYTES} bytes are refused`)
    let content: Buffer
    try {
      content = await readBody(req, MAX_PICTURE_BYTES)
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      return refuse(413, 'TOO_LARGE', `pictures over ${MAX_PICTURE_BYTES} bytes are refused`)
    }
    if (!picture.magic(content)) return refuse(415, 'NOT_A_PICTURE', `the bytes are not a ${type} picture`)
    if (await this.files.exists(cloudPath)) return refuse(409, 'EXISTS', `${cloudPath} exists; upload under a new name`)
    try {
      await this.files.write(cloudPath, content)
    } catch (error) {
      if (!(error instanceof FileConflict)) throw error
      return refuse(409, 'EXISTS', error.message)
    }
    sendJson(res, 200, { fileID: fileIdOf(this.envId, cloudPath), url: this.urlOf(cloudPath) })
  }

  /**
   * `/storage/<path>`: GET or HEAD serves a stored file (like a public-read bucket's URL), PUT is
   * the upload the SDK sends after getUploadMetadata and must carry that call's token.
   */
  async http(req: IncomingMessage, res: ServerResponse, encodedPath: string): Promise<void> {
    const method = req.method ?? 'GET'
    let cloudPath: string
    try {
      cloudPath = decodeURIComponent(encodedPath)
    } catch {
      return cosError(res, 400, 'InvalidURI', 'the path is not valid percent-encoding')
    }
    const problem = pathProblem(cloudPath)
    if (problem) return cosError(res, 400, 'InvalidObjectName', problem)
    if (method === 'PUT') return this.upload(req, res, cloudPath)
    if (method !== 'GET' && method !== 'HEAD') return cosError(res, 405, 'MethodNotAllowed', 'use GET, HEAD or PUT')
    const content = await this.files.read(cloudPath)
    if (!content) return cosError(res, 404, 'NoSuchKey', 'The specified key does not exist.')
    res.writeHead(200, { 'content-type': contentTypeOf(cloudPath), 'content-length': content.length, 'cache-control': 'no-cache' })
    res.end(method === 'HEAD' ? undefined : content)
  }

  private async upload(req: IncomingMessage, res: ServerResponse, cloudPath: string): Promise<void> {
    const token = header(req, 'x-cos-security-token')
    const ticket = this.pending.get(token)
    if (!ticket || ticket.expires <= this.now() || ticket.path !== cloudPath || header(req, 'authorization') !== ticket.authorization) {
      req.resume()
      return cosError(res, 403, 'AccessDenied', 'no valid upload token for this path: call getUploadMetadata first')
    }
    let content: Buffer
    try {
      content = await readBody(req, MAX_FILE_BYTES)
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      res.setHeader('connection', 'close')
      return cosError(res, 413, 'EntityTooLarge', `files over ${MAX_FILE_BYTES} bytes are refused by the local cloud`)
    }
    this.pending.delete(token)
    try {
      await this.files.write(cloudPath, content)
    } catch (error) {
      if (!(error instanceof FileConflict)) throw error
      return cosError(res, 409, 'InvalidObjectName', error.message)
    }
    res.writeHead(200, { 'content-length': 0 })
    res.end()
  }
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name]
  return typeof value === 'string' ? value : ''
}

/** A COS error answer: the SDK destructures Code, Message, RequestId and TraceId, so all four are there. */
function cosError(res: ServerResponse, status: number, code: string, message: string): void {
  const id = randomBytes(8).toString('hex')
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const body = `<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>${code}</Code><Message>${escape(message)}</Message><RequestId>${id}</RequestId><TraceId>${id}</TraceId></Error>`
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}
