import { randomBytes } from 'node:crypto'
import { DbError } from './errors'
import { deepClone, type Doc } from './ejson'
import { modifyDoc, newDocId, type Engine, type WriteOp } from './engine'

type Tx = {
  touched: Map<string, { collection: string; id: string; version: number }>
  writes: Map<string, Doc | null>
  expiresAt: number
}

const TX_LIFETIME_MS = 30_000

const keyOf = (collection: string, id: string): string => `${collection}\u0000${id}`

/**
 * Optimistic transactions over document-level operations (the only kind CloudBase allows in a
 * transaction). A document changed by anyone else after the transaction first touched it makes
 * the commit fail with DATABASE_TRANSACTION_CONFLICT, which the SDK's runTransaction retries.
 */
export class Transactions {
  private readonly open = new Map<string, Tx>()

  constructor(
    private readonly engine: Engine,
    private readonly now: () => number = Date.now,
  ) {}

  start(): string {
    this.expire()
    const id = randomBytes(12).toString('hex')
    this.open.set(id, { touched: new Map(), writes: new Map(), expiresAt: this.now() + TX_LIFETIME_MS })
    return id
  }

  get(txId: string, collection: string, id: string): Doc | null {
    const tx = this.tx(txId)
    const view = this.view(tx, collection, id)
    return view && deepClone(view)
  }

  update(txId: string, collection: string, id: string, modifier: Record<string, unknown>): number {
    const tx = this.tx(txId)
    const current = this.view(tx, collection, id)
    if (!current) return 0
    const next = modifyDoc(current, modifier)
    if (!next) return 0
    tx.writes.set(keyOf(collection, id), next)
    return 1
  }

  set(txId: string, collection: string, id: string, data: Record<string, unknown>): { created: boolean } {
    const tx = this.tx(txId)
    const created = this.view(tx, collection, id) === null
    tx.writes.set(keyOf(collection, id), { ...data, _id: id })
    return { created }
  }

  insert(txId: string, collection: string, data: Record<string, unknown>): string {
    const tx = this.tx(txId)
    const id = data['_id'] === undefined ? newDocId() : data['_id']
    if (typeof id !== 'string' || id.length === 0) throw new DbError('INVALID_PARAM', '_id must be a non-empty string')
    if (this.view(tx, collection, id)) throw new DbError('DATABASE_DUPLICATE_WRITE', `duplicate key: _id ${id} already exists`)
    tx.writes.set(keyOf(collection, id), { ...data, _id: id })
    return id
  }

  remove(txId: string, collection: string, id: string): number {
    const tx = this.tx(txId)
    if (!this.view(tx, collection, id)) return 0
    tx.writes.set(keyOf(collection, id), null)
    return 1
  }

  commit(txId: string): Promise<void> {
    const tx = this.tx(txId)
    this.open.delete(txId)
    for (const { collection, id, version } of tx.touched.values()) {
      if (this.engine.versionOf(collection, id) !== version) {
        throw new DbError('DATABASE_TRANSACTION_CONFLICT', 'database transaction conflict')
      }
    }
    const ops: WriteOp[] = []
    for (const [key, doc] of tx.writes) {
      const { collection, id } = tx.touched.get(key)!
      ops.push(doc ? { t: 'put', c: collection, d: doc } : { t: 'del', c: collection, id })
    }
    return this.engine.commit(ops)
  }

  abort(txId: string): void {
    this.tx(txId)
    this.open.delete(txId)
  }

  private tx(txId: string): Tx {
    this.expire()
    const tx = this.open.get(txId)
    if (!tx) throw new DbError('DATABASE_TRANSACTION_FAIL', `transaction ${txId} does not exist or has ended`)
    return tx
  }

  /**
   * The transaction's view of a document. A change by someone else after the first touch is
   * reported at commit, not here: wx-server-sdk wraps errors of operations inside the callback
   * (losing the code its retry looks for), but not the error of the commit itself.
   */
  private view(tx: Tx, collection: string, id: string): Doc | null {
    const key = keyOf(collection, id)
    if (!tx.touched.has(key)) tx.touched.set(key, { collection, id, version: this.engine.versionOf(collection, id) })
    if (tx.writes.has(key)) return tx.writes.get(key) ?? null
    return this.engine.getById(collection, id)?.doc ?? null
  }

  private expire(): void {
    const now = this.now()
    for (const [id, tx] of this.open) if (tx.expiresAt < now) this.open.delete(id)
  }
}
