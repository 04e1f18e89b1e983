import * as cloud from 'wx-server-sdk'
import type { PictureUrls } from '../usecases/staffGoods'

/** What getTempFileURL answers, per file (wx-server-sdk passes on the cloud's `download_list`). */
type TempUrlAnswer = { fileList?: Array<{ fileID?: unknown; tempFileURL?: unknown }> }
export type TempUrlLookup = (fileIds: string[]) => Promise<TempUrlAnswer>

/** Asked for this long (seconds); kept half as long, so a URL handed out is good for an hour at least. */
export const TEMP_URL_MAX_AGE_S = 2 * 3600
const KEEP_MS = (TEMP_URL_MAX_AGE_S * 1000) / 2
const BATCH = 50
const CACHE_LIMIT = 2000

/**
 * Goods pictures as URLs a page can load, for the staff console's `picUrls`: a `cloud://` file id
 * becomes a temporary URL from getTempFileURL ('' when the file is gone, so staff see it is
 * missing); anything else is already a URL. Shoppers' pages get the file ids as stored and load
 * them themselves (src/utils/assets.ts: the weapp's <Image> takes a file id, H5 maps it to the
 * local cloud's /storage/<path>), which also covers the file ids kept in orders' items. URLs
 * are cached per warm instance for half their life, so a page costs at most one call. A lookup
 * that fails keeps a cached URL that still works; with nothing cached it gives ''.
 */
export function pictureUrls(lookup: TempUrlLookup, now: () => number = Date.now): PictureUrls {
  // `until`: asked again from then; `expires`: the URL itself stops working (kept meanwhile should a lookup fail).
  const cache = new Map<string, { url: string; until: number; expires: number }>()
  return {
    async urls(pics) {
      const at = now()
      const wanted = [...new Set(pics.filter((p) => p.startsWith('cloud://') && !((cache.get(p)?.until ?? 0) > at)))]
      for (let i = 0; i < wanted.length; i += BATCH) {
        const batch = wanted.slice(i, i + BATCH)
        try {
          const { fileList = [] } = await lookup(batch)
          for (const item of fileList) {
            if (typeof item.fileID === 'string' && typeof item.tempFileURL === 'string' && item.tempFileURL !== '')
              cache.set(item.fileID, { url: item.tempFileURL, until: at + KEEP_MS, expires: at + TEMP_URL_MAX_AGE_S * 1000 })
          }
        } catch (error) {
          console.warn(`goods pictures: getTempFileURL failed for ${batch.length} files: ${error instanceof Error ? error.message : String(error)}`)
        }
      }
      if (cache.size > CACHE_LIMIT) for (const [id, entry] of cache) if (entry.expires <= at || cache.size > CACHE_LIMIT) cache.delete(id)
      const live = (p: string): string => {
        const entry = cache.get(p)
        return entry && entry.expires > at ? entry.url : ''
      }
      return pics.map((p) => (p.startsWith('cloud://') ? live(p) : p))
    },
  }
}

/** The function's SDK (initialised by cloudRuntime first) as the lookup. */
export function cloudPictureUrls(): PictureUrls {
  return pictureUrls(
    (fileIds) => cloud.getTempFileURL({ fileList: fileIds.map((fileID) => ({ fileID, maxAge: TEMP_URL_MAX_AGE_S })) }) as Promise<TempUrlAnswer>,
  )
}
