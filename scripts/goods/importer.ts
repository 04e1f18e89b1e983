import type { CatalogueGoods } from './catalogue'

/** What the import needs of a cloud environment; `cloudTarget` (sdk.ts) is wx-server-sdk behind it. */
export interface GoodsTarget {
  /** The stored goods documents with these ids, by id. */
  readGoods(ids: readonly string[]): Promise<Map<string, Record<string, unknown>>>
  /** Uploads to cloud storage; answers the file id (`cloud://…`). */
  upload(cloudPath: string, content: Buffer): Promise<string>
  /** Replaces (or creates) the goods document `_id`. */
  writeGoods(id: string, data: GoodsDocument): Promise<void>
}

export type GoodsDocument = { name: string; description: string; priceFen: number; pic: string; pics: string[]; onSale: boolean }
export type Outcome = 'created' | 'updated' | 'unchanged'
export type ImportReport = { results: { line: number; id: string; outcome: Outcome }[]; uploaded: number; dryRun: boolean }

/**
 * Upserts already-validated goods by id. A picture is uploaded only when the stored goods do not
 * already reference a file at its (content-named) cloud path, so a second run of the same file
 * uploads and writes nothing. With `dryRun` it reads the target and says what it would do.
 */
export async function importGoods(target: GoodsTarget, goods: readonly CatalogueGoods[], dryRun: boolean): Promise<ImportReport> {
  const stored = await target.readGoods(goods.map((g) => g.id))
  const results: ImportReport['results'] = []
  let uploaded = 0
  for (const entry of goods) {
    const existing = stored.get(entry.id)
    const known = existing ? storedFileIds(existing) : new Map<string, string>()
    const missing = entry.pictures.filter((p) => !known.has(p.cloudPath))
    const outcome: Outcome = !existing ? 'created' : missing.length > 0 || !sameGoods(existing, documentOf(entry, known)) ? 'updated' : 'unchanged'
    results.push({ line: entry.line, id: entry.id, outcome })
    if (dryRun || outcome === 'unchanged') continue
    for (const picture of missing) {
      known.set(picture.cloudPath, await target.upload(picture.cloudPath, picture.content))
      uploaded++
    }
    await target.writeGoods(entry.id, documentOf(entry, known))
  }
  return { results, uploaded, dryRun }
}

function documentOf(entry: CatalogueGoods, fileIds: ReadonlyMap<string, string>): GoodsDocument {
  const pics = entry.pictures.map((p) => fileIds.get(p.cloudPath) ?? '')
  return { name: entry.name, description: entry.description, priceFen: entry.priceFen, pic: pics[0] ?? '', pics, onSale: entry.onSale }
}

/** The cloud paths of the stored goods' pictures, with their file ids (`cloud://<env>.<bucket>/<path>`). */
function storedFileIds(doc: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>()
  const pics = Array.isArray(doc['pics']) ? doc['pics'] : []
  for (const pic of pics) {
    const match = typeof pic === 'string' ? /^cloud:\/\/[^/]+\/(.+)$/.exec(pic) : null
    if (match) out.set(match[1]!, pic as string)
  }
  return out
}

function sameGoods(doc: Record<string, unknown>, wanted: GoodsDocument): boolean {
  return (
    doc['name'] === wanted.name &&
    doc['description'] === wanted.description &&
    doc['priceFen'] === wanted.priceFen &&
    doc['pic'] === wanted.pic &&
    doc['onSale'] === wanted.onSale &&
    Array.isArray(doc['pics']) &&
    doc['pics'].length === wanted.pics.length &&
    wanted.pics.every((pic, i) => (doc['pics'] as unknown[])[i] === pic)
  )
}

export function summary(report: ImportReport): string {
  const count = (outcome: Outcome): number => report.results.filter((r) => r.outcome === outcome).length
  const verb = report.dryRun ? 'would be ' : ''
  return `${verb}created ${count('created')}, ${verb}updated ${count('updated')}, unchanged ${count('unchanged')}, refused 0; pictures uploaded ${report.uploaded}`
}
