import { aggregate } from 'mingo'
import { DbError } from './errors'
import { parseEjson, resolveServerDates, stringifyEjson, type Doc } from './ejson'
import type { Engine, FindOptions } from './engine'
import { Transactions } from './transactions'

const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000

export type DbReply = Record<string, unknown>

/** Test-only fault injection (cloud/local/faults): consulted only while a fault is armed. */
export interface DbFaultHook {
  readonly armed: boolean
  /** true: answer DATABASE_REQUEST_FAILED without running the request. */
  failRequest(action: string, collections: readonly string[]): boolean
  /** Called once a request has been applied and is durable, before its reply; may end the process. */
  afterDurable(action: string, collections: readonly string[]): void
}

const MAX_TRACKED_TRANSACTIONS = 1000
const TX_WRITES = new Set(['database.insertDocument', 'database.modifyDocument', 'database.removeDocument'])

/**
 * Answers the JSON requests that `@cloudbase/node-sdk` (inside wx-server-sdk) posts to
 * `/admin` for database actions, in the reply shapes that SDK parses.
 */
export class DatabaseProtocol {
  private readonly transactions: Transactions
  /** Requests answered, by action: how many database round trips the functions make. */
  readonly requests = new Map<string, number>()

  /** With a fault hook: the collections each open transaction writes, so a commit can be matched by collection. */
  private readonly txCollections = new Map<string, Set<string>>()

  constructor(
    private readonly engine: Engine,
    private readonly now: () => number = Date.now,
    private readonly faults?: DbFaultHook,
  ) {
    this.transactions = new Transactions(engine, now)
  }

  async handle(action: string, params: Record<string, unknown>, requestId: string): Promise<DbReply> {
    this.requests.set(action, (this.requests.get(action) ?? 0) + 1)
    const collections = this.faults ? this.faultScope(action, params) : []
    const faults = this.faults?.armed ? this.faults : undefined
    if (faults?.failRequest(action, collections)) return { requestId, code: 'DATABASE_REQUEST_FAILED', message: 'injected fault' }
    const reply = this.dispatch(action, params)
    // A reply may reveal data written by others: never before that data is durable.
    const data = await reply
    await this.engine.durable()
    faults?.afterDurable(action, collections)
    return { requestId, ...data }
  }

  /** The collections a request touches, for matching faults (a commit: what its transaction wrote). */
  private faultScope(action: string, p: Record<string, unknown>): string[] {
    const txId = optionalString(p, 'transactionId')
    const collection = optionalString(p, 'collectionName')
    if (!txId) return collection ? [collection] : []
    if (action === 'database.commitTransaction' || action === 'database.abortTransaction') {
      const written = this.txCollections.get(txId)
      this.txCollections.delete(txId)
      return written ? [...written] : []
    }
    if (collection && TX_WRITES.has(action)) {
      const written = this.txCollections.get(txId) ?? new Set<string>()
      written.add(collection)
      this.txCollections.delete(txId)
      this.txCollections.set(txId, written)
      // Transactions that never end (expired) must not pile up.
      if (this.txCollections.size > MAX_TRACKED_TRANSACTIONS) this.txCollections.delete(this.txCollections.keys().next().value as string)
    }
    return collection ? [collection] : []
  }

  private async dispatch(action: string, p: Record<string, unknown>): Promise<DbReply> {
    const txId = optionalString(p, 'transactionId')
    switch (action) {
      case 'database.addCollection':
        await this.engine.createCollection(requiredString(p, 'collectionName'))
        return {}
      case 'database.startTransaction':
        return { transactionId: this.transactions.start() }
      case 'database.commitTransaction':
        await this.transactions.commit(requiredString(p, 'transactionId'))
        return {}
      case 'database.abortTransaction':
        this.transactions.abort(requiredString(p, 'transactionId'))
        return {}
      case 'database.insertDocument':
        return this.insert(p, txId)
      case 'database.getDocument':
        return this.get(p, txId)
      case 'database.calculateDocument':
        return { data: { total: this.engine.count(collectionOf(p), this.query(p)) } }
      case 'database.modifyDocument':
        return this.modify(p, txId)
      case 'database.modifyAndReturnDoc':
        return this.modifyAndReturn(p, txId)
      case 'database.removeDocument':
        return this.remove(p, txId)
      case 'database.aggregateDocuments':
        return this.aggregate(p)
      default:
        throw new DbError('ACTION_NOT_SUPPORTED', `action ${action} is not supported by the local cloud`)
    }
  }

  private async insert(p: Record<string, unknown>, txId: string | undefined): Promise<DbReply> {
    const collection = collectionOf(p)
    const raw = p['data']
    const items = Array.isArray(raw) ? raw : [raw]
    if (items.length === 0) throw new DbError('INVALID_PARAM', 'data must not be empty')
    const docs = items.map((item) => this.object(item, 'data'))
    if (txId) {
      if (!this.engine.hasCollection(collection)) throw new DbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${collection}`)
      return { data: { insertedIds: docs.map((doc) => this.transactions.insert(txId, collection, doc)) } }
    }
    const { ids, written } = this.engine.insert(collection, docs)
    await written
    return { data: { insertedIds: ids } }
  }

  private get(p: Record<string, unknown>, txId: string | undefined): DbReply {
    const collection = collectionOf(p)
    const query = this.query(p)
    if (txId) {
      const doc = this.transactions.get(txId, collection, docIdOf(query))
      return { data: { list: doc ? [stringifyEjson(doc)] : [] } }
    }
    const offset = optionalInt(p, 'offset') ?? 0
    const limit = Math.min(optionalInt(p, 'limit') ?? DEFAULT_LIMIT, MAX_LIMIT)
    const options: FindOptions = { skip: offset, limit }
    if (p['order'] !== undefined) options.sort = sortOf(this.object(p['order'], 'order'))
    if (p['projection'] !== undefined) options.projection = this.object(p['projection'], 'projection')
    const docs = this.engine.find(collection, query, options)
    return { data: { list: docs.map((doc) => stringifyEjson(doc)), offset, limit } }
  }

  private async modify(p: Record<string, unknown>, txId: string | undefined): Promise<DbReply> {
    const collection = collectionOf(p)
    const query = this.query(p)
    const data = this.object(p['data'], 'data')
    const replace = p['merge'] === false
    if (replace) {
      if (Object.keys(data).some((key) => key.startsWith('$'))) throw new DbError('INVALID_PARAM', 'update operator complicit')
      if ('_id' in data) throw new DbError('INVALID_PARAM', '不能更新_id的值')
      const id = docIdOf(query)
      if (txId) {
        const { created } = this.transactions.set(txId, collection, id, data)
        return { data: created ? { updated: 0, upsert_id: id } : { updated: 1 } }
      }
      const { created, written } = this.engine.replace(collection, id, data)
      await written
      return { data: created ? { updated: 0, upsert_id: id } : { updated: 1 } }
    }
    if (txId) return { data: { updated: this.transactions.update(txId, collection, docIdOf(query), data) } }
    const { updated, written } = this.engine.update(collection, query, data, p['multi'] === true)
    await written
    return { data: { updated } }
  }

  private async modifyAndReturn(p: Record<string, unknown>, txId: string | undefined): Promise<DbReply> {
    if (txId) throw new DbError('ACTION_NOT_SUPPORTED', 'updateAndReturn is not supported in a transaction')
    const collection = collectionOf(p)
    const query = this.query(p)
    const [target] = this.engine.find(collection, query, { limit: 1 })
    if (!target) return { data: { updated: 0, doc: null } }
    const { updated, written } = this.engine.update(collection, { _id: target._id }, this.object(p['data'], 'data'), false)
    await written
    const after = this.engine.getById(collection, target._id)
    return { data: { updated, doc: after ? stringifyEjson(after.doc) : null } }
  }

  private async remove(p: Record<string, unknown>, txId: string | undefined): Promise<DbReply> {
    const collection = collectionOf(p)
    const query = this.query(p)
    if (txId) return { data: { deleted: this.transactions.remove(txId, collection, docIdOf(query)) } }
    const { deleted, written } = this.engine.remove(collection, query, p['multi'] === true)
    await written
    return { data: { deleted } }
  }

  private aggregate(p: Record<string, unknown>): DbReply {
    const collection = collectionOf(p)
    const stages = p['stages']
    if (!Array.isArray(stages)) throw new DbError('INVALID_PARAM', 'stages must be an array')
    const pipeline = stages.map((stage: unknown) => {
      if (typeof stage !== 'object' || stage === null) throw new DbError('INVALID_PARAM', 'invalid stage')
      const { stageKey, stageValue } = stage as { stageKey?: unknown; stageValue?: unknown }
      if (typeof stageKey !== 'string' || typeof stageValue !== 'string') throw new DbError('INVALID_PARAM', 'invalid stage')
      return { [stageKey]: this.value(stageValue, 'stageValue') }
    })
    const docs = this.engine.find(collection, {})
    try {
      return { data: { list: aggregate(docs, pipeline).map((doc) => stringifyEjson(doc)) } }
    } catch (error) {
      throw new DbError('DATABASE_REQUEST_FAILED', (error as Error).message)
    }
  }

  private query(p: Record<string, unknown>): Record<string, unknown> {
    return p['query'] === undefined ? {} : this.object(p['query'], 'query')
  }

  private object(raw: unknown, field: string): Record<string, unknown> {
    const value = this.value(raw, field)
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
      throw new DbError('INVALID_PARAM', `${field} must be an object`)
    }
    return value as Record<string, unknown>
  }

  private value(raw: unknown, field: string): unknown {
    const text = typeof raw === 'string' ? raw : JSON.stringify(raw)
    if (text === undefined || text.includes('"__proto__"')) throw new DbError('INVALID_PARAM', `${field} is not valid`)
    let value: unknown
    try {
      value = parseEjson(text)
    } catch {
      throw new DbError('INVALID_PARAM', `${field} is not valid EJSON`)
    }
    return resolveServerDates(value, this.now())
  }
}

function collectionOf(p: Record<string, unknown>): string {
  return requiredString(p, 'collectionName')
}

function docIdOf(query: Record<string, unknown>): string {
  const id = query['_id']
  if (typeof id !== 'string' || Object.keys(query).length !== 1) {
    throw new DbError('INVALID_PARAM', 'this operation needs a document id (doc(id))')
  }
  return id
}

function sortOf(order: Record<string, unknown>): Record<string, 1 | -1> {
  const sort: Record<string, 1 | -1> = {}
  for (const [key, direction] of Object.entries(order)) sort[key] = direction === -1 || direction === 'desc' ? -1 : 1
  return sort
}

function requiredString(p: Record<string, unknown>, key: string): string {
  const value = p[key]
  if (typeof value !== 'string' || value.length === 0) throw new DbError('INVALID_PARAM', `${key} is required`)
  return value
}

function optionalString(p: Record<string, unknown>, key: string): string | undefined {
  const value = p[key]
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

function optionalInt(p: Record<string, unknown>, key: string): number | undefined {
  const value = p[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new DbError('INVALID_PARAM', `${key} must be a non-negative integer`)
  return value
}

export type { Doc }
