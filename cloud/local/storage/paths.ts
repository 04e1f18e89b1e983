/**
 * Cloud paths and file ids of the local cloud storage. A file id is `cloud://<env>.<bucket>/<path>`,
 * as in CloudBase; the path is also where the file lives under the storage folder and its URL
 * (`/storage/<path>`), so it is checked once here, strictly: no way out of the folder.
 */

export const MAX_PATH_BYTES = 1024
const MAX_SEGMENT_BYTES = 255
// `\` is a separator somewhere; `?`, `#` and `%` would change the meaning of a temp URL, which
// the SDK only passes through encodeURI; control characters have no business in a name.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\\?#%]/

/** Why `cloudPath` is refused, or undefined when it is a safe relative path. */
export function pathProblem(cloudPath: unknown): string | undefined {
  if (typeof cloudPath !== 'string' || cloudPath === '') return 'cloudPath must be a non-empty string'
  if (Buffer.byteLength(cloudPath) > MAX_PATH_BYTES) return `cloudPath is longer than ${MAX_PATH_BYTES} bytes`
  if (FORBIDDEN.test(cloudPath)) return 'cloudPath contains a backslash, ?, #, % or a control character'
  if (cloudPath.startsWith('/')) return 'cloudPath must be relative (no leading /)'
  for (const segment of cloudPath.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return 'cloudPath has an empty, . or .. segment'
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `a cloudPath segment is longer than ${MAX_SEGMENT_BYTES} bytes`
  }
  return undefined
}

/** The bucket of an environment's local storage (CloudBase's look like `7072-prod-1a2b3c-1300000000`). */
export function bucketOf(envId: string): string {
  return `${envId}-local`
}

export function fileIdOf(envId: string, cloudPath: string): string {
  return `cloud://${envId}.${bucketOf(envId)}/${cloudPath}`
}

const FILE_ID = /^cloud:\/\/([^./]+)\.([^/]+)\/(.+)$/s

/** `{ envId, bucket, path }` of a file id, or undefined when it is not one. */
export function parseFileId(fileId: unknown): { envId: string; bucket: string; path: string } | undefined {
  if (typeof fileId !== 'string') return undefined
  const match = FILE_ID.exec(fileId)
  if (!match) return undefined
  return { envId: match[1]!, bucket: match[2]!, path: match[3]! }
}

const TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  pdf: 'application/pdf',
}

/** The SDK uploads without a Content-Type, so the type served is the extension's. */
export function contentTypeOf(cloudPath: string): string {
  const dot = cloudPath.lastIndexOf('.')
  const ext = dot > cloudPath.lastIndexOf('/') ? cloudPath.slice(dot + 1).toLowerCase() : ''
  return TYPES[ext] ?? 'application/octet-stream'
}
