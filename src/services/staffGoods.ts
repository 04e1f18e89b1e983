import {
  GOODS_PIC_FOLDER,
  type ReconcileRunView,
  type StaffGoodsData,
  type StaffGoodsEvent,
  type StaffGoodsView,
  type StaffReconcileStatus,
  type StaffReconcileStatusEvent,
  type StaffRunReconcileData,
  type StaffRunReconcileEvent,
  type StaffSaveGoodsEvent,
  type StaffSetOnSaleEvent,
} from '../../cloud/payment/staffContracts'
import { isRecord } from '../utils/guards'
import { bad } from './parse'
import { CloudError, type Transport } from './transport'

// The staff console's catalogue and reconcile actions on the `staff` function, typed per action.
// Every answer is parsed: junk is BAD_RESPONSE, never a page that renders `undefined`.

export type SaveGoodsInput = Omit<StaffSaveGoodsEvent, 'action'>
export type SetOnSaleInput = Omit<StaffSetOnSaleEvent, 'action'>

const str = (v: unknown): v is string => typeof v === 'string'
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string'
const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every(str)

export function parseStaffGoods(value: unknown): StaffGoodsView {
  if (!isRecord(value)) throw bad('staff goods', value)
  const v = value
  if (!str(v['_id']) || !str(v['name']) || !str(v['description']) || !count(v['priceFen']) || typeof v['onSale'] !== 'boolean') throw bad('staff goods', value)
  if (!strings(v['pics']) || !strings(v['picUrls']) || v['picUrls'].length !== v['pics'].length) throw bad('staff goods', value)
  if (!strOrNull(v['createdAt'] ?? null) || !strOrNull(v['updatedAt'] ?? null)) throw bad('staff goods', value)
  return {
    _id: v['_id'],
    name: v['name'],
    description: v['description'],
    priceFen: v['priceFen'],
    pics: [...v['pics']],
    picUrls: [...v['picUrls']],
    onSale: v['onSale'],
    createdAt: (v['createdAt'] as string | null | undefined) ?? null,
    updatedAt: (v['updatedAt'] as string | null | undefined) ?? null,
  }
}

export function parseStaffGoodsPage(value: unknown): StaffGoodsData {
  if (!isRecord(value) || !Array.isArray(value['items']) || !strOrNull(value['nextCursor'] ?? null)) throw bad('staff goods page', value)
  return { items: value['items'].map(parseStaffGoods), nextCursor: (value['nextCursor'] as string | null | undefined) ?? null }
}

const COUNTS = ['checked', 'paid', 'closed', 'refundsSettled', 'latePayments', 'received', 'shippingUploads', 'errors'] as const

export function parseReconcileRun(value: unknown): ReconcileRunView {
  if (!isRecord(value)) throw bad('reconcile run', value)
  const v = value
  const counts = v['counts']
  if (!str(v['id']) || (v['trigger'] !== 'timer' && v['trigger'] !== 'staff') || !strOrNull(v['by'] ?? null)) throw bad('reconcile run', value)
  if (!str(v['startedAt']) || !strOrNull(v['finishedAt'] ?? null) || !isRecord(counts) || !COUNTS.every((key) => count(counts[key])))
    throw bad('reconcile run', value)
  if (!Array.isArray(v['errors'])) throw bad('reconcile run', value)
  const errors = v['errors'].map((e: unknown) => {
    if (!isRecord(e) || !str(e['outTradeNo']) || !str(e['message'])) throw bad('reconcile error', e)
    return { outTradeNo: e['outTradeNo'], message: e['message'] }
  })
  const n = (key: (typeof COUNTS)[number]): number => counts[key] as number
  return {
    id: v['id'],
    trigger: v['trigger'],
    by: (v['by'] as string | null | undefined) ?? null,
    startedAt: v['startedAt'],
    finishedAt: (v['finishedAt'] as string | null | undefined) ?? null,
    counts: {
      checked: n('checked'),
      paid: n('paid'),
      closed: n('closed'),
      refundsSettled: n('refundsSettled'),
      latePayments: n('latePayments'),
      received: n('received'),
      shippingUploads: n('shippingUploads'),
      errors: n('errors'),
    },
    errors,
  }
}

const runOrNull = (value: unknown): ReconcileRunView | null => (value === null || value === undefined ? null : parseReconcileRun(value))

export function parseReconcileStatus(value: unknown): StaffReconcileStatus {
  if (!isRecord(value) || typeof value['running'] !== 'boolean') throw bad('reconcile status', value)
  return { last: runOrNull(value['last']), running: value['running'] }
}

export function parseRunReconcile(value: unknown): StaffRunReconcileData {
  if (!isRecord(value) || typeof value['ran'] !== 'boolean' || typeof value['running'] !== 'boolean') throw bad('reconcile run answer', value)
  return { ran: value['ran'], running: value['running'], run: runOrNull(value['run']) }
}

type ConsoleEvent = StaffGoodsEvent | StaffSetOnSaleEvent | StaffSaveGoodsEvent | StaffReconcileStatusEvent | StaffRunReconcileEvent

/** One typed call per catalogue / reconcile action; pages reach these only through the staff goods store. */
export function createStaffGoodsApi(call: Transport) {
  const staff = (event: ConsoleEvent): Promise<unknown> => call('staff', { ...event })
  return {
    async goods(query: { id?: string; cursor?: string; limit?: number } = {}): Promise<StaffGoodsData> {
      return parseStaffGoodsPage(await staff({ action: 'goods', ...query }))
    },
    /** Creates (no `id`) or edits; `requestId` the same for retries of one save, so a lost answer never creates twice. */
    async saveGoods(input: SaveGoodsInput): Promise<StaffGoodsView> {
      return parseStaffGoods(await staff({ action: 'saveGoods', ...input }))
    },
    async setOnSale(input: SetOnSaleInput): Promise<StaffGoodsView> {
      return parseStaffGoods(await staff({ action: 'setOnSale', ...input }))
    },
    async reconcileStatus(): Promise<StaffReconcileStatus> {
      return parseReconcileStatus(await staff({ action: 'reconcileStatus' }))
    },
    async runReconcile(requestId: string): Promise<StaffRunReconcileData> {
      return parseRunReconcile(await staff({ action: 'runReconcile', requestId }))
    },
  }
}

export type StaffGoodsApi = ReturnType<typeof createStaffGoodsApi>

/** The picture types staff may upload, by MIME type, with the extension the stored file gets. */
export const PICTURE_TYPES: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' }

/**
 * Where a new picture goes in cloud storage: `goods/<time>-<random>.<ext>`, a new name every time
 * (the local cloud never replaces a file; the cloud would, and an old order's picture must stay).
 * The extension from the MIME type, else from the picked file's name, else jpg.
 */
export function pictureCloudPath(type: string, name: string, now: number, random: () => string): string {
  const fromName = /\.(png|jpe?g|gif|webp)$/i.exec(name)?.[1]?.toLowerCase()
  const ext = PICTURE_TYPES[type.toLowerCase()] ?? (fromName === 'jpeg' ? 'jpg' : fromName) ?? 'jpg'
  return `${GOODS_PIC_FOLDER}${now.toString(36)}-${random()}.${ext}`
}

/** The local cloud's answer to an H5 upload: `{ fileID }` (and a URL, not needed: the list sends its own). */
export function parseUploadAnswer(status: number, body: unknown): string {
  if (status >= 200 && status < 300 && isRecord(body) && str(body['fileID']) && body['fileID'].startsWith('cloud://')) return body['fileID']
  if (status === 413) throw new CloudError('INVALID_ARGUMENT', '图片太大，请选择 5 MB 以内的图片', body)
  if (status === 415) throw new CloudError('INVALID_ARGUMENT', '只能上传 PNG、JPEG、GIF 或 WebP 图片', body)
  if (status >= 200 && status < 300) throw new CloudError('BAD_RESPONSE', 'the upload answer has no fileID', body)
  throw new CloudError('TRANSPORT_ERROR', `图片上传失败（HTTP ${status}）`, body)
}

/** H5: one picture's bytes POSTed to the local cloud's upload route (cloud/local/storage BROWSER_UPLOAD_PATH) → its file id. */
export async function browserUpload(fetcher: typeof fetch, file: { type: string; name: string; body: Blob }, cloudPath: string): Promise<string> {
  let res: Response
  try {
    res = await fetcher(`/storage/upload?path=${encodeURIComponent(cloudPath)}`, { method: 'POST', headers: { 'content-type': file.type }, body: file.body })
  } catch (cause) {
    throw new CloudError('TRANSPORT_ERROR', '网络不给力，请稍后重试', cause)
  }
  const body: unknown = await res.json().catch(() => null)
  return parseUploadAnswer(res.status, body)
}
