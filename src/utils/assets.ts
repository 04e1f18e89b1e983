/**
 * Goods pictures are stored as paths on the local cloud (`/static/goods/…`), as full URLs, or as
 * cloud storage file ids (`cloud://…`, which the mini program's <Image> loads itself).
 * H5 is served by the local cloud itself; the mini program needs an absolute URL for a path:
 * ASSET_BASE (config/clientEnv.ts; empty in a release build without one).
 */
export function assetUrl(pic: string): string {
  // `//host/…` is a URL without its scheme, not a path.
  if (process.env.TARO_ENV === 'weapp' && ASSET_BASE && pic.startsWith('/') && !pic.startsWith('//')) return `${ASSET_BASE}${pic}`
  return pic
}
