/**
 * Goods pictures are stored as paths on the local cloud (`/static/goods/…`) or full URLs.
 * H5 is served by the local cloud itself; the mini program needs an absolute URL.
 */
export function assetUrl(pic: string): string {
  if (process.env.TARO_ENV === 'weapp' && pic.startsWith('/')) return `${ASSET_BASE}${pic}`
  return pic
}
