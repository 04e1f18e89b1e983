/**
 * Goods pictures are stored as paths on the local cloud (`/static/goods/…`), as full URLs, or as
 * cloud storage file ids (`cloud://<env>.<bucket>/<path>`). The mini program's <Image> loads a
 * file id itself; H5 has no such loader, and is served by the local cloud, whose storage serves
 * every file at `/storage/<path>` (cloud/local/storage): the file id's path says where.
 * The mini program needs an absolute URL for a path: ASSET_BASE (config/clientEnv.ts; empty in a
 * release build without one).
 */
export function assetUrl(pic: string): string {
  if (process.env.TARO_ENV === 'h5' && pic.startsWith('cloud://')) return localStorageUrl(pic)
  // `//host/…` is a URL without its scheme, not a path.
  if (process.env.TARO_ENV === 'weapp' && ASSET_BASE && pic.startsWith('/') && !pic.startsWith('//')) return `${ASSET_BASE}${pic}`
  return pic
}

const FILE_ID = /^cloud:\/\/[^/]+\/(.+)$/

/** `/storage/<path>` of a file id, each segment encoded; a malformed id is left as it is (it shows no picture). */
function localStorageUrl(fileId: string): string {
  const path = FILE_ID.exec(fileId)?.[1]
  if (!path) return fileId
  return `/storage/${path.split('/').map(encodeURIComponent).join('/')}`
}
