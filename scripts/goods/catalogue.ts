import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { GOODS_ID } from '../../cloud/payment/core/cart'
import { MAX_TOTAL_FEN } from '../../cloud/payment/core/money'

// A catalogue file is a JSON array of goods (docs/catalogue.md):
//   { "id", "name", "description"?, "priceFen", "pictures": [paths], "onSale"? }
// Picture paths are relative to the file. Every entry is checked before anything is written.

export const MAX_NAME_CHARS = 40
export const MAX_DESCRIPTION_CHARS = 200
export const MAX_PICTURES = 9
export const MAX_PICTURE_BYTES = 1024 * 1024
const KEYS = new Set(['id', 'name', 'description', 'priceFen', 'pictures', 'onSale'])
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

export type Picture = { file: string; content: Buffer; type: 'png' | 'jpeg'; cloudPath: string }
export type CatalogueGoods = { line: number; id: string; name: string; description: string; priceFen: number; pictures: Picture[]; onSale: boolean }
export type Refusal = { line: number; entry: number; id?: string; reason: string }
export type Parsed = { ok: true; goods: CatalogueGoods[] } | { ok: false; refused: Refusal[]; fatal?: string }

/** Reads and checks a catalogue file; any refused entry makes the whole file refused. */
export function readCatalogue(file: string): Parsed {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    return { ok: false, refused: [], fatal: `cannot read ${file}: ${(error as Error).message}` }
  }
  return parseCatalogue(text, path.dirname(path.resolve(file)))
}

export function parseCatalogue(text: string, baseDir: string): Parsed {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    return { ok: false, refused: [], fatal: `not valid JSON: ${(error as Error).message}` }
  }
  if (!Array.isArray(data)) return { ok: false, refused: [], fatal: 'a catalogue is a JSON array of goods' }
  const lines = entryLines(text)
  const refused: Refusal[] = []
  const goods: CatalogueGoods[] = []
  const seen = new Map<string, number>()
  data.forEach((raw: unknown, index) => {
    const line = lines[index] ?? 0
    const checked = checkEntry(raw, baseDir)
    const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : undefined
    const problems = checked.ok ? [] : checked.problems
    if (id !== undefined && seen.has(id)) problems.push(`id ${id} is already used on line ${seen.get(id)}`)
    if (id !== undefined && !seen.has(id)) seen.set(id, line)
    if (problems.length > 0) refused.push({ line, entry: index + 1, id, reason: problems.join('; ') })
    else if (checked.ok) goods.push({ line, ...checked.goods })
  })
  return refused.length > 0 ? { ok: false, refused } : { ok: true, goods }
}

function checkEntry(raw: unknown, baseDir: string): { ok: true; goods: Omit<CatalogueGoods, 'line'> } | { ok: false; problems: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problems: ['an entry must be an object'] }
  const entry = raw as Record<string, unknown>
  const problems: string[] = []
  for (const key of Object.keys(entry)) if (!KEYS.has(key)) problems.push(`unknown field ${key} (fields: ${[...KEYS].join(', ')})`)

  const { id, name, priceFen } = entry
  const description = entry['description'] ?? ''
  const onSale = entry['onSale'] ?? true
  if (typeof id !== 'string' || !GOODS_ID.test(id)) problems.push('id must be 1-64 characters of A-Z a-z 0-9 _ -')
  if (typeof name !== 'string' || !textOk(name, 1, MAX_NAME_CHARS))
    problems.push(`name must be 1-${MAX_NAME_CHARS} characters, no control characters or outer spaces`)
  if (typeof description !== 'string' || !textOk(description, 0, MAX_DESCRIPTION_CHARS))
    problems.push(`description must be at most ${MAX_DESCRIPTION_CHARS} characters, no control characters or outer spaces`)
  if (typeof priceFen !== 'number' || !Number.isInteger(priceFen) || priceFen <= 0 || priceFen > MAX_TOTAL_FEN)
    problems.push('priceFen must be a whole number of fen above 0 (6800 is ¥68.00)')
  if (typeof onSale !== 'boolean') problems.push('onSale must be true or false')

  const pictures: Picture[] = []
  const list = entry['pictures']
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_PICTURES) problems.push(`pictures must list 1-${MAX_PICTURES} files, cover first`)
  else {
    list.forEach((file: unknown, i) => {
      const checked = checkPicture(file, baseDir, typeof id === 'string' ? id : '')
      if (typeof checked === 'string') problems.push(`pictures[${i}]: ${checked}`)
      else pictures.push(checked)
    })
  }
  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    goods: { id: id as string, name: name as string, description: description as string, priceFen: priceFen as number, pictures, onSale: onSale as boolean },
  }
}

function textOk(text: string, min: number, max: number): boolean {
  const chars = [...text].length
  return chars >= min && chars <= max && !CONTROL.test(text) && text.trim() === text
}

/** The picture, or why it is refused. Its cloud path is named by its content, so an unchanged picture is not uploaded again. */
function checkPicture(file: unknown, baseDir: string, id: string): Picture | string {
  if (typeof file !== 'string' || file === '') return 'must be a file path'
  const resolved = path.resolve(baseDir, file)
  let size: number
  try {
    const stat = statSync(resolved)
    if (!stat.isFile()) return `${file} is not a file`
    size = stat.size
  } catch {
    return `${file} does not exist`
  }
  if (size > MAX_PICTURE_BYTES) return `${file} is ${size} bytes, over the ${MAX_PICTURE_BYTES}-byte limit`
  const content = readFileSync(resolved)
  const type = pictureType(content)
  if (!type) return `${file} is not a PNG or JPEG picture`
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 16)
  return { file: resolved, content, type, cloudPath: `goods/${id}/${hash}.${type === 'png' ? 'png' : 'jpg'}` }
}

/** By content, not by name: a renamed file is what it is. */
export function pictureType(content: Buffer): 'png' | 'jpeg' | undefined {
  if (content.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))) return 'png'
  if (content.length > 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'jpeg'
  return undefined
}

/** The line on which each element of the top-level array starts (1-based), for refusals people can find. */
export function entryLines(text: string): number[] {
  const lines: number[] = []
  let line = 1
  let depth = 0
  let inString = false
  let expectValue = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '\n') line++
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (/\s/.test(c)) continue
    if (depth === 1 && expectValue && c !== ']') {
      lines.push(line)
      expectValue = false
    }
    if (c === '"') inString = true
    else if (c === '[' || c === '{') {
      depth++
      if (depth === 1 && c === '[') expectValue = true
    } else if (c === ']' || c === '}') depth--
    else if (c === ',' && depth === 1) expectValue = true
  }
  return lines
}
