import { promises as fs } from 'node:fs'
import path from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'

// A function folder as one upload: a gzipped tar (POSIX ustar) of regular files only, written
// and read here with Node's own zlib — no dependency. The reader trusts nothing: it refuses
// links, devices, absolute paths, `..`, oversized content, and checks every header's checksum.

const BLOCK = 512

export class ArchiveError extends Error {}

export type Limits = { maxFiles: number; maxBytes: number }
export const DEFAULT_LIMITS: Limits = { maxFiles: 1000, maxBytes: 64 * 1024 * 1024 }

/** Relative, `/`-separated, no empty, `.` or `..` segment, no backslash or control character. */
export function safePath(rel: string): boolean {
  if (rel === '' || rel.startsWith('/') || rel.length > 255 || /[\\\p{Cc}]/u.test(rel)) return false
  return rel.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..')
}

function writeString(block: Buffer, offset: number, length: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length > length) throw new ArchiveError(`tar field too long: ${text}`)
  bytes.copy(block, offset)
}

const octal = (value: number, width: number): string => `${value.toString(8).padStart(width - 1, '0')}\0`

function header(rel: string, size: number, type: string): Buffer {
  const block = Buffer.alloc(BLOCK)
  let name = rel
  let prefix = ''
  if (Buffer.byteLength(rel) > 100) {
    const cut = rel.lastIndexOf('/', 155)
    if (cut <= 0 || Buffer.byteLength(rel.slice(cut + 1)) > 100) throw new ArchiveError(`path too long for tar: ${rel}`)
    prefix = rel.slice(0, cut)
    name = rel.slice(cut + 1)
  }
  writeString(block, 0, 100, name)
  writeString(block, 100, 8, octal(0o644, 8))
  writeString(block, 108, 8, octal(0, 8))
  writeString(block, 116, 8, octal(0, 8))
  writeString(block, 124, 12, octal(size, 12))
  writeString(block, 136, 12, octal(0, 12)) // mtime 0: the same folder packs to the same bytes
  block.fill(0x20, 148, 156)
  block.write(type, 156, 1, 'latin1') // '0': a regular file
  writeString(block, 257, 6, 'ustar\0')
  writeString(block, 263, 2, '00')
  writeString(block, 345, 155, prefix)
  writeString(block, 148, 8, `${checksum(block).toString(8).padStart(6, '0')}\0 `)
  return block
}

function checksum(block: Buffer): number {
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!
  return sum
}

/** Every regular file under `dir`, as `/`-separated relative paths, sorted. */
async function filesOf(dir: string, rel = ''): Promise<string[]> {
  const found: string[] = []
  for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name
    if (entry.isDirectory()) found.push(...(await filesOf(dir, child)))
    else if (entry.isFile()) found.push(child)
    else throw new ArchiveError(`${child} is not a regular file`)
  }
  return found.sort()
}

export type Entry = { path: string; bytes: Buffer; /** tar type flag, `0` (a regular file) unless said */ type?: string }

/** Entries as a .tar.gz, as given: no check of their paths (the reader checks). */
export function packEntries(entries: readonly Entry[]): Buffer {
  const parts: Buffer[] = []
  for (const entry of entries) {
    parts.push(header(entry.path, entry.bytes.length, entry.type ?? '0'), entry.bytes, Buffer.alloc((BLOCK - (entry.bytes.length % BLOCK)) % BLOCK))
  }
  parts.push(Buffer.alloc(2 * BLOCK))
  return gzipSync(Buffer.concat(parts))
}

/** The folder as a .tar.gz: its regular files, sorted, with no owner or time. */
export async function packFolder(dir: string): Promise<Buffer> {
  const entries: Entry[] = []
  for (const rel of await filesOf(dir)) entries.push({ path: rel, bytes: await fs.readFile(path.join(dir, ...rel.split('/'))) })
  return packEntries(entries)
}

function readString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length)
  const end = field.indexOf(0)
  return field.subarray(0, end < 0 ? length : end).toString('utf8')
}

function readOctal(block: Buffer, offset: number, length: number, what: string): number {
  const text = readString(block, offset, length).trim()
  if (!/^[0-7]+$/.test(text)) throw new ArchiveError(`bad ${what} in a tar header`)
  return parseInt(text, 8)
}

/** The files of a .tar.gz made by `packFolder` (or any plain ustar of regular files). */
export function unpackArchive(gz: Buffer, limits: Limits = DEFAULT_LIMITS): Map<string, Buffer> {
  let tar: Buffer
  try {
    tar = gunzipSync(gz, { maxOutputLength: limits.maxBytes + 1024 * BLOCK })
  } catch (error) {
    throw new ArchiveError(`not a gzip archive within ${limits.maxBytes} bytes (${(error as Error).message})`)
  }
  const files = new Map<string, Buffer>()
  let total = 0
  for (let offset = 0; ;) {
    if (offset + BLOCK > tar.length) throw new ArchiveError('the archive ends without its end marker')
    const block = tar.subarray(offset, offset + BLOCK)
    if (block.every((byte) => byte === 0)) break
    if (readOctal(block, 148, 8, 'checksum') !== checksum(block)) throw new ArchiveError('a tar header fails its checksum')
    const prefix = readString(block, 257, 6) === 'ustar' ? readString(block, 345, 155) : ''
    const rel = prefix ? `${prefix}/${readString(block, 0, 100)}` : readString(block, 0, 100)
    const type = String.fromCharCode(block[156]!)
    const size = readOctal(block, 124, 12, 'size')
    offset += BLOCK
    if (type === '5') continue // a directory: implied by its files
    if (type !== '0' && type !== '\0') throw new ArchiveError(`${rel}: only regular files are accepted (tar type ${JSON.stringify(type)})`)
    if (!safePath(rel)) throw new ArchiveError(`${JSON.stringify(rel)} is not a safe relative path`)
    if (files.has(rel)) throw new ArchiveError(`${rel} appears twice`)
    total += size
    if (files.size >= limits.maxFiles || total > limits.maxBytes) throw new ArchiveError(`more than ${limits.maxFiles} files or ${limits.maxBytes} bytes`)
    if (offset + size > tar.length) throw new ArchiveError(`${rel} is cut short`)
    files.set(rel, Buffer.from(tar.subarray(offset, offset + size)))
    offset += Math.ceil(size / BLOCK) * BLOCK
  }
  return files
}
