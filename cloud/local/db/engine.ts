import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { find, Query } from 'mingo'
// The updater itself, not mingo's index wrapper: the wrapper copies every operator table of
// mingo (hundreds of entries) into a fresh context on each call, which made one conditional
// update cost ~0.5 ms of the local cloud's only thread. The updater adds what updates use.
import { update as applyUpdate } from 'mingo/updater'
import { isEqual } from 'mingo/util'
import { DbError } from './errors'
import { deepClone, parseEjson, stringifyEjson, type Doc } from './ejson'
import { Journal } from './journal'

type Entry = { doc: Doc; version: number }
export type WriteOp = { t: 'coll'; c: string } | { t: 'put'; c: string; d: Doc } | { t: 'del'; c: string; id: string }
export type FindOptions = { sort?: Record<string, 1 | -1>; skip?: number; limit?: number; projection?: Record<string, unknown> }

export function newDocId(): string {
  return randomBytes(16).toString('hex')
}

/**
 * In-memory collections backed by the journal. Every mutation is applied synchronously (so a
 * conditional update is atomic on Node's single thread) and acknowledged once its journal
 * record is durable; reads wait for the writes they could see to be durable too.
 */
export class Engine {
  private readonly collections = new Map<string, Map<string, Entry>>()
  private nextVersion = 1
  private lastWrite: Promise<void> = Promise.resolve()

  private constructor(private readonly journal: Journal) {}

  static async open(dataDir: string): Promise<{ engine: Engine; recovered: number; truncatedBytes: number }> {
    const { journal, records, truncatedBytes } = await Journal.open(path.join(dataDir, 'journal.log'))
    const engine = new Engine(journal)
    for (const record of records) engine.applyOps(parseRecord(record))
    await journal.rewrite(engine.snapshot())
    return { engine, recovered: records.length, truncatedBytes }
  }

  close(): Promise<void> {
    return this.journal.close()
  }

  /** Resolves once every write applied so far is on disk. */
  durable(): Promise<void> {
    return this.lastWrite
  }

  hasCollection(name: string): boolean {
    return this.collections.has(name)
  }

  collectionNames(): string[] {
    return [...this.collections.keys()]
  }

  createCollection(name: string): Promise<void> {
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(name)) throw new DbError('INVALID_PARAM', `invalid collection name: ${name}`)
    if (this.collections.has(name)) throw new DbError('DATABASE_COLLECTION_ALREADY_EXIST', `collection ${name} already exists`)
    return this.commit([{ t: 'coll', c: name }])
  }

  find(collection: string, query: Record<string, unknown>, options: FindOptions = {}): Doc[] {
    const docs = this.matching(collection, query)
    const projected = options.projection && Object.keys(options.projection).length > 0
    const sorted = options.sort && Object.keys(options.sort).length > 0
    if (!projected && !sorted) {
      // Nothing for mingo to do but skip and limit (its cursor copies every operator table per call).
      const from = options.skip ?? 0
      return docs.slice(from, options.limit === undefined ? undefined : from + options.limit).map((doc) => deepClone(doc))
    }
    let cursor = find(docs, {}, options.projection && Object.keys(options.projection).length > 0 ? options.projection : undefined)
    if (options.sort && Object.keys(options.sort).length > 0) cursor = cursor.sort(options.sort)
    if (options.skip) cursor = cursor.skip(options.skip)
    if (options.limit !== undefined) cursor = cursor.limit(options.limit)
    return cursor.all().map((doc) => deepClone(doc as Doc))
  }

  count(collection: string, query: Record<string, unknown>): number {
    return this.matching(collection, query).length
  }

  getById(collection: string, id: string): { doc: Doc; version: number } | undefined {
    const entry = this.entries(collection).get(id)
    return entry && { doc: deepClone(entry.doc), version: entry.version }
  }

  versionOf(collection: string, id: string): number {
    return this.entries(collection).get(id)?.version ?? 0
  }

  insert(collection: string, docs: Array<Record<string, unknown>>): { ids: string[]; written: Promise<void> } {
    const entries = this.entries(collection)
    const ops: WriteOp[] = []
    const seen = new Set<string>()
    for (const data of docs) {
      const id = data['_id'] === undefined ? newDocId() : data['_id']
      if (typeof id !== 'string' || id.length === 0) throw new DbError('INVALID_PARAM', '_id must be a non-empty string')
      if (entries.has(id) || seen.has(id)) throw new DbError('DATABASE_DUPLICATE_WRITE', `duplicate key: _id ${id} already exists`)
      seen.add(id)
      ops.push({ t: 'put', c: collection, d: { ...data, _id: id } })
    }
    return { ids: ops.map((op) => (op as { d: Doc }).d._id), written: this.commit(ops) }
  }

  /** Applies `modifier` (update operators) to matching documents; `updated` counts documents actually changed. */
  update(collection: string, query: Record<string, unknown>, modifier: Record<string, unknown>, multi: boolean): { updated: number; written: Promise<void> } {
    const targets = this.matching(collection, query)
    const ops: WriteOp[] = []
    for (const current of multi ? targets : targets.slice(0, 1)) {
      const next = modifyDoc(current, modifier)
      if (next) ops.push({ t: 'put', c: collection, d: next })
    }
    return { updated: ops.length, written: this.commit(ops) }
  }

  /** Replaces the document with `_id` (or creates it): `doc().set()`. */
  replace(collection: string, id: string, data: Record<string, unknown>): { created: boolean; written: Promise<void> } {
    const created = !this.entries(collection).has(id)
    return { created, written: this.commit([{ t: 'put', c: collection, d: { ...data, _id: id } }]) }
  }

  remove(collection: string, query: Record<string, unknown>, multi: boolean): { deleted: number; written: Promise<void> } {
    const targets = this.matching(collection, query)
    const ops: WriteOp[] = (multi ? targets : targets.slice(0, 1)).map((doc) => ({ t: 'del', c: collection, id: doc._id }))
    return { deleted: ops.length, written: this.commit(ops) }
  }

  /** Applies a batch atomically (one journal record): used by transaction commits. */
  commit(ops: WriteOp[]): Promise<void> {
    if (ops.length === 0) return this.lastWrite
    this.applyOps(ops)
    const written = this.journal.append(stringifyEjson({ ops }))
    this.lastWrite = written.catch(() => undefined)
    return written
  }

  private matching(collection: string, query: Record<string, unknown>): Doc[] {
    const entries = this.entries(collection)
    const id = query['_id']
    // doc(id).get() and where({ _id }): nothing to test but the key (building a mingo Query is not free).
    if (typeof id === 'string' && Object.keys(query).length === 1) {
      const entry = entries.get(id)
      return entry ? [entry.doc] : []
    }
    const criteria = new Query(query)
    if (typeof id === 'string') {
      const entry = entries.get(id)
      return entry && criteria.test(entry.doc) ? [entry.doc] : []
    }
    const out: Doc[] = []
    for (const entry of entries.values()) if (criteria.test(entry.doc)) out.push(entry.doc)
    return out
  }

  private entries(collection: string): Map<string, Entry> {
    const entries = this.collections.get(collection)
    if (!entries) throw new DbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${collection}`)
    return entries
  }

  private applyOps(ops: WriteOp[]): void {
    for (const op of ops) {
      if (op.t === 'coll') {
        if (!this.collections.has(op.c)) this.collections.set(op.c, new Map())
        continue
      }
      const entries = this.collections.get(op.c)
      if (!entries) throw new DbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${op.c}`)
      if (op.t === 'put') entries.set(op.d._id, { doc: op.d, version: this.nextVersion++ })
      else entries.delete(op.id)
    }
  }

  private snapshot(): string[] {
    const records: string[] = []
    for (const [name, entries] of this.collections) {
      const ops: WriteOp[] = [{ t: 'coll', c: name }]
      for (const { doc } of entries.values()) ops.push({ t: 'put', c: name, d: doc })
      records.push(stringifyEjson({ ops }))
    }
    return records
  }
}

/** Returns the updated copy, or undefined when the modifier changes nothing. */
export function modifyDoc(current: Doc, modifier: Record<string, unknown>): Doc | undefined {
  if (Object.keys(modifier).some((key) => !key.startsWith('$'))) {
    throw new DbError('INVALID_PARAM', 'update data must use update operators')
  }
  if (JSON.stringify(Object.values(modifier)).includes('"_id"')) {
    const touched = Object.values(modifier).some((fields) => typeof fields === 'object' && fields !== null && '_id' in fields)
    if (touched) throw new DbError('INVALID_PARAM', '不能更新_id的值')
  }
  const simple = plainSet(current, modifier)
  if (simple !== NOT_PLAIN) return simple
  const next = deepClone(current)
  let changed: string[]
  try {
    changed = applyUpdate(next, modifier as Parameters<typeof applyUpdate>[1])
  } catch (error) {
    throw new DbError('DATABASE_REQUEST_FAILED', (error as Error).message)
  }
  return changed.length > 0 ? next : undefined
}

export const NOT_PLAIN = Symbol('not a plain $set')
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype

/**
 * `{ $set: { field: value, 'parent.field': value } }` where every parent on each path is a plain
 * object or missing — what the functions send — applied as mingo's $set applies it (a parent that
 * is missing becomes {}, a field whose value isEqual the new one is left alone), without mingo's
 * per-call setup. Anything else (other operators, array elements, a path through a non-object,
 * paths that overlap) answers NOT_PLAIN and goes to mingo.
 */
export function plainSet(current: Doc, modifier: Record<string, unknown>): Doc | undefined | typeof NOT_PLAIN {
  const fields = modifier['$set']
  if (Object.keys(modifier).length !== 1 || !isPlainObject(fields)) return NOT_PLAIN
  const paths = Object.keys(fields).map((key) => key.split('.'))
  const usable = (segment: string): boolean => segment !== '' && !segment.startsWith('$') && !/^\d+$/.test(segment) && !(segment in Object.prototype)
  if (paths.some((path) => !path.every(usable))) return NOT_PLAIN
  const joined = Object.keys(fields)
  if (joined.some((a) => joined.some((b) => a !== b && b.startsWith(`${a}.`)))) return NOT_PLAIN
  for (const path of paths) {
    let node: unknown = current
    for (const segment of path.slice(0, -1)) {
      node = Object.prototype.hasOwnProperty.call(node, segment) ? (node as Record<string, unknown>)[segment] : undefined
      if (node === undefined) break
      if (!isPlainObject(node)) return NOT_PLAIN
    }
  }
  const next = deepClone(current)
  let changed = false
  paths.forEach((path, i) => {
    let node: Record<string, unknown> = next
    for (const segment of path.slice(0, -1)) {
      if (!Object.prototype.hasOwnProperty.call(node, segment)) node[segment] = {}
      node = node[segment] as Record<string, unknown>
    }
    const last = path[path.length - 1]!
    const value = fields[joined[i]!]
    const old = Object.prototype.hasOwnProperty.call(node, last) ? node[last] : undefined
    if (isEqual(old, value)) return
    node[last] = deepClone(value)
    changed = true
  })
  return changed ? next : undefined
}

function parseRecord(record: string): WriteOp[] {
  const parsed = parseEjson(record) as { ops?: WriteOp[] }
  if (!parsed || !Array.isArray(parsed.ops)) throw new Error('corrupt journal record')
  return parsed.ops
}
