import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { syncDir } from '../syncDir'

/**
 * Append-only journal with group commit: every record handed to `append` is written and
 * fdatasync'ed before its promise resolves, and concurrent appends share one fsync.
 * Each line is `<sha1 prefix> <payload>\n`, so a torn or corrupt tail is detected on replay.
 */
export class Journal {
  private pending: string[] = []
  private waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = []
  private flushing = false
  private closed = false

  private constructor(
    private readonly file: string,
    private handle: fs.FileHandle,
  ) {}

  static async open(file: string): Promise<{ journal: Journal; records: string[]; truncatedBytes: number }> {
    await fs.mkdir(path.dirname(file), { recursive: true })
    const { records, validBytes, totalBytes } = await readRecords(file)
    if (validBytes < totalBytes) await fs.truncate(file, validBytes)
    const handle = await fs.open(file, 'a')
    return { journal: new Journal(file, handle), records, truncatedBytes: totalBytes - validBytes }
  }

  /** Rewrites the journal as exactly `records` (compaction), atomically via rename. */
  async rewrite(records: string[]): Promise<void> {
    await this.drain()
    const tmp = `${this.file}.tmp`
    const out = await fs.open(tmp, 'w')
    try {
      if (records.length > 0) await out.write(records.map(frame).join(''))
      await out.sync()
    } finally {
      await out.close()
    }
    await this.handle.close()
    await fs.rename(tmp, this.file)
    await syncDir(path.dirname(this.file))
    this.handle = await fs.open(this.file, 'a')
  }

  append(payload: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal is closed'))
    this.pending.push(frame(payload))
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }))
    if (!this.flushing) void this.flush()
    return done
  }

  /** Resolves once everything appended so far is durable. */
  async drain(): Promise<void> {
    if (this.pending.length === 0 && !this.flushing) return
    await new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject })
      if (!this.flushing) void this.flush()
    })
  }

  async close(): Promise<void> {
    await this.drain()
    this.closed = true
    await this.handle.close()
  }

  private async flush(): Promise<void> {
    this.flushing = true
    while (this.waiters.length > 0) {
      const lines = this.pending
      const waiters = this.waiters
      this.pending = []
      this.waiters = []
      try {
        if (lines.length > 0) {
          await this.handle.write(lines.join(''))
          await this.handle.datasync()
        }
        for (const waiter of waiters) waiter.resolve()
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error as Error)
      }
    }
    this.flushing = false
  }
}

function checksum(payload: string): string {
  return createHash('sha1').update(payload).digest('hex').slice(0, 12)
}

function frame(payload: string): string {
  if (payload.includes('\n')) throw new Error('journal payload must be a single line')
  return `${checksum(payload)} ${payload}\n`
}

async function readRecords(file: string): Promise<{ records: string[]; validBytes: number; totalBytes: number }> {
  let content: Buffer
  try {
    content = await fs.readFile(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], validBytes: 0, totalBytes: 0 }
    throw error
  }
  const records: string[] = []
  let offset = 0
  while (offset < content.length) {
    const end = content.indexOf(0x0a, offset)
    if (end < 0) break // torn last record: never acknowledged
    const line = content.subarray(offset, end).toString('utf8')
    const space = line.indexOf(' ')
    const payload = line.slice(space + 1)
    if (space !== 12 || checksum(payload) !== line.slice(0, space)) break
    records.push(payload)
    offset = end + 1
  }
  return { records, validBytes: offset, totalBytes: content.length }
}
