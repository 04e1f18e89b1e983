import type { SdkDatabase } from './sdkTypes'

/**
 * Adds a document whose `_id` makes it unique; 'exists' when a document with that `_id` is
 * already there (nothing written). The database refusing a second `_id` is what keeps an order
 * number or a request id single, so callers never look at error messages themselves.
 */
export async function insertOnce(db: SdkDatabase, collection: string, data: Record<string, unknown> & { _id: string }): Promise<'inserted' | 'exists'> {
  try {
    await db.collection(collection).add({ data })
    return 'inserted'
  } catch (error) {
    if (isDuplicateKey(error)) return 'exists'
    throw error
  }
}

/** The database's refusal of a second document with the same `_id` (code, or its message). */
export function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  return code === 'DATABASE_DUPLICATE_WRITE' || /duplicate key|DuplicateKey|duplicate/i.test(String(message ?? ''))
}
