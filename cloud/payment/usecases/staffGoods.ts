import { createHash } from 'node:crypto'
import { GOODS_ID, type Goods } from '../core/cart'
import { fen } from '../core/money'
import { GOODS_LABELS, GOODS_LIMITS, GOODS_PIC, goodsPriceProblem, type StaffGoodsData, type StaffGoodsView } from '../staffContracts'
import { AppError } from '../errors'
import { BAD_REQUEST, optionalInt, optionalString } from '../parse'
import type { Clock, StaffAuditRecord } from '../ports'
import { REQUEST_REUSED, STAFF_REQUEST_ID } from './staffActions'

/** Every staff action the audit log holds: the order actions and the console's others. */
export type ConsoleAction = StaffAuditRecord['action'] | 'saveGoods' | 'setOnSale' | 'runReconcile'
/** One console action in `staff_audit` (`_id` = requestId); `outTradeNo` is '' for actions on no order. */
export type ConsoleAuditRecord = Omit<StaffAuditRecord, 'action'> & { action: ConsoleAction; goodsId?: string }
/** `staff_audit` for every action (adapters/staffAudit.ts `consoleAudit`): insert-once per requestId. */
export interface ConsoleAudit {
  record(entry: ConsoleAuditRecord): Promise<'inserted' | 'exists'>
  get(requestId: string): Promise<ConsoleAuditRecord | null>
}

/** A goods document as staff keep it: the shopper's fields and when the console made and last changed it. */
export type StaffGoodsRecord = Goods & { createdAt?: Date; updatedAt?: Date }
/** The editable fields of a goods item. */
export type GoodsFields = Pick<Goods, 'name' | 'description' | 'priceFen' | 'pics' | 'onSale'>

/** The `goods` collection as the console reads and writes it (adapters/staffGoods.ts). */
export interface StaffGoodsStore {
  /** Every goods item, newest first (by `createdAt`; goods without one last, by id), from `offset`. */
  list(offset: number, limit: number): Promise<StaffGoodsRecord[]>
  get(id: string): Promise<StaffGoodsRecord | null>
  /** Adds it under its `_id`; 'exists' when that id is taken (nothing written). */
  insert(goods: StaffGoodsRecord & { createdAt: Date; updatedAt: Date }): Promise<'inserted' | 'exists'>
  /** Sets these fields (and `updatedAt`) on the item; false when there is no such item. */
  update(id: string, fields: Partial<GoodsFields>, at: Date): Promise<boolean>
}

/**
 * Stored picture values → URLs a page can load, in the same order: a `cloud://` file id becomes
 * a temporary URL ('' when the file is gone), anything else is already one (adapters/pictureUrls.ts).
 */
export interface PictureUrls {
  urls(pics: readonly string[]): Promise<string[]>
}

export type StaffGoodsDeps = { catalogue: StaffGoodsStore; consoleAudit: ConsoleAudit; pictures: PictureUrls; clock: Clock }

const DEFAULT_LIMIT = 20
const OFFSET_CURSOR = /^\d{1,6}$/
// eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

const bad = (message: string, detail: string): AppError => new AppError('INVALID_ARGUMENT', message, { detail })
const notFound = (id: string): AppError => new AppError('GOODS_NOT_FOUND', '商品不存在', { detail: `goods ${id} not found` })

/** The id a create request makes: the same request always the same goods, so a retry creates nothing more. */
export function goodsIdOf(requestId: string): string {
  return `g-${createHash('sha256').update(requestId).digest('hex').slice(0, 24)}`
}

export async function toStaffGoodsView(pictures: PictureUrls, goods: StaffGoodsRecord): Promise<StaffGoodsView> {
  return {
    _id: goods._id,
    name: goods.name,
    description: goods.description,
    priceFen: goods.priceFen,
    pics: [...goods.pics],
    picUrls: await pictures.urls(goods.pics),
    onSale: goods.onSale,
    createdAt: goods.createdAt?.toISOString() ?? null,
    updatedAt: goods.updatedAt?.toISOString() ?? null,
  }
}

/**
 * `goods`: every goods item, on sale or not, newest first; `nextCursor` is the offset of the next
 * page. With `id`: that item alone (the edit page opened on it), GOODS_NOT_FOUND when there is none.
 */
export async function listStaffGoods(deps: StaffGoodsDeps, input: Record<string, unknown>): Promise<StaffGoodsData> {
  if (input['id'] !== undefined) {
    const id = goodsIdIn(input)
    const goods = await deps.catalogue.get(id)
    if (!goods) throw notFound(id)
    return { items: [await toStaffGoodsView(deps.pictures, goods)], nextCursor: null }
  }
  const limit = optionalInt(input, 'limit', 1, 50) ?? DEFAULT_LIMIT
  const offset = Number(optionalString(input, 'cursor', OFFSET_CURSOR) ?? '0')
  const page = await deps.catalogue.list(offset, limit + 1)
  const items = await Promise.all(page.slice(0, limit).map((goods) => toStaffGoodsView(deps.pictures, goods)))
  return { items, nextCursor: page.length > limit ? String(offset + limit) : null }
}

function requestIdOf(input: Record<string, unknown>): string {
  const requestId = input['requestId']
  if (typeof requestId !== 'string' || !STAFF_REQUEST_ID.test(requestId)) throw bad(BAD_REQUEST, 'requestId is not valid')
  return requestId
}

function goodsIdIn(input: Record<string, unknown>): string {
  const id = input['id']
  if (typeof id !== 'string' || !GOODS_ID.test(id)) throw bad(BAD_REQUEST, 'id is not a valid goods id')
  return id
}

function line(input: Record<string, unknown>, field: 'name' | 'description', max: number, required: boolean): string {
  const label = GOODS_LABELS[field]
  const raw = input[field] ?? ''
  if (typeof raw !== 'string') throw bad(`${label}格式不正确`, `${field} must be a string`)
  const value = raw.trim()
  if (value === '' && required) throw bad(`请填写${label}`, `${field} is required`)
  if (CONTROL.test(value)) throw bad(`${label}不能换行或包含特殊字符`, `${field} has a control character`)
  if ([...value].length > max) throw bad(`${label}最多 ${max} 个字`, `${field} is longer than ${max} characters`)
  return value
}

function onSaleOf(input: Record<string, unknown>): boolean {
  const onSale = input['onSale']
  if (typeof onSale !== 'boolean') throw bad(`请选择${GOODS_LABELS.onSale}`, 'onSale must be true or false')
  return onSale
}

/** The editable fields of a save, each checked, refused with the field named in staff words. */
export function parseGoodsFields(input: Record<string, unknown>): GoodsFields {
  const name = line(input, 'name', GOODS_LIMITS.name, true)
  const description = line(input, 'description', GOODS_LIMITS.description, false)
  const price = input['priceFen']
  if (typeof price !== 'number') throw bad(`请填写${GOODS_LABELS.priceFen}`, 'priceFen must be a number of fen')
  const problem = goodsPriceProblem(price)
  if (problem) throw bad(problem, `priceFen ${price} is not 1..${GOODS_LIMITS.maxPriceFen} integer fen`)
  const pics = input['pics'] ?? []
  if (!Array.isArray(pics)) throw bad(`${GOODS_LABELS.pics}格式不正确`, 'pics must be a list')
  if (pics.length > GOODS_LIMITS.pics) throw bad(`${GOODS_LABELS.pics}最多 ${GOODS_LIMITS.pics} 张`, `pics has ${pics.length}`)
  for (const [i, pic] of pics.entries()) {
    if (typeof pic !== 'string' || pic.length > GOODS_LIMITS.picChars || !GOODS_PIC.test(pic))
      throw bad(`第 ${i + 1} 张${GOODS_LABELS.pics}无效，请重新上传`, `pics[${i}] is not a cloud file id, https URL or /static/goods/ picture`)
  }
  if (new Set(pics).size !== pics.length) throw bad(`${GOODS_LABELS.pics}有重复，请删除重复的图片`, 'pics has a duplicate')
  return { name, description, priceFen: fen(price), pics: pics as string[], onSale: onSaleOf(input) }
}

const same = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * Runs a catalogue change at most once in effect per requestId and records it once in
 * `staff_audit`: a request already recorded with the same input changes nothing again and
 * answers the goods as they are; one recorded for anything else is refused (REQUEST_REUSED).
 * Concurrent repeats all write the same fields, and the record is insert-once.
 */
async function audited(
  deps: StaffGoodsDeps,
  staff: string,
  action: 'saveGoods' | 'setOnSale',
  requestId: string,
  goodsId: string,
  input: Record<string, unknown>,
  run: () => Promise<void>,
): Promise<StaffGoodsView> {
  const reused = (prior: ConsoleAuditRecord | null): boolean => !!prior && (prior.action !== action || prior.goodsId !== goodsId || !same(prior.input, input))
  const prior = await deps.consoleAudit.get(requestId)
  if (reused(prior)) throw bad(REQUEST_REUSED, `requestId ${requestId} was used for another action`)
  if (!prior) {
    try {
      await run()
    } catch (error) {
      if (error instanceof AppError && error.code === 'GOODS_NOT_FOUND') await record(error.code)
      throw error
    }
    await record('ok')
  }
  const goods = await deps.catalogue.get(goodsId)
  if (!goods) throw notFound(goodsId)
  return toStaffGoodsView(deps.pictures, goods)

  async function record(outcome: string): Promise<void> {
    const at = new Date(deps.clock.now())
    const written = await deps.consoleAudit.record({ requestId, staff, action, outTradeNo: '', goodsId, input, outcome, at })
    if (written === 'exists' && reused(await deps.consoleAudit.get(requestId))) throw bad(REQUEST_REUSED, `requestId ${requestId} was used for another action`)
  }
}

/**
 * `saveGoods`: without `id`, creates the goods item under an id made from the requestId (so a
 * retry finds it instead of making another); with `id`, sets its editable fields. Orders keep
 * their own copy of name, price and picture (createOrder's priced lines), so a change here never
 * changes an order already placed.
 */
export async function saveGoods(deps: StaffGoodsDeps, staff: string, input: Record<string, unknown>): Promise<StaffGoodsView> {
  const requestId = requestIdOf(input)
  const editing = input['id'] !== undefined && input['id'] !== null
  const id = editing ? goodsIdIn(input) : goodsIdOf(requestId)
  const fields = parseGoodsFields(input)
  return audited(deps, staff, 'saveGoods', requestId, id, { ...(editing ? { id } : {}), ...fields }, async () => {
    const at = new Date(deps.clock.now())
    if (editing) {
      if (!(await deps.catalogue.update(id, fields, at))) throw notFound(id)
      console.log(`goods ${id}: edited by staff (${fields.priceFen} fen, ${fields.onSale ? 'on sale' : 'off sale'})`)
      return
    }
    const made = await deps.catalogue.insert({ _id: id, ...fields, pic: fields.pics[0] ?? '', createdAt: at, updatedAt: at })
    if (made === 'inserted') console.log(`goods ${id}: created by staff (${fields.priceFen} fen)`)
  })
}

/** `setOnSale`: on or off sale; an off-sale item stays listed for staff and cannot be ordered. */
export async function setOnSale(deps: StaffGoodsDeps, staff: string, input: Record<string, unknown>): Promise<StaffGoodsView> {
  const requestId = requestIdOf(input)
  const id = goodsIdIn(input)
  const onSale = onSaleOf(input)
  return audited(deps, staff, 'setOnSale', requestId, id, { id, onSale }, async () => {
    if (!(await deps.catalogue.update(id, { onSale }, new Date(deps.clock.now())))) throw notFound(id)
    console.log(`goods ${id}: put ${onSale ? 'on' : 'off'} sale by staff`)
  })
}
