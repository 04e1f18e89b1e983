import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { pathProblem } from './paths'
import { syncDir } from '../syncDir'

export class FileConflict extends Error {}

/**
 * The stored files, one per cloud path, below `<dir>/files`. Durable like the database: a write is
 * synced to a temporary file, renamed into place and the folder synced before it resolves, so an
 * acknowledged upload survives a crash and a torn one never appears under its name.
 */
export class FileStore {
  private readonly files: string
  private readonly tmp: string

  constructor(dir: string) {
    this.files = path.join(path.resolve(dir), 'files')
    this.tmp = path.join(path.resolve(dir), 'tmp')
  }

  /** The file of a cloud path; throws for a path that is not safe (callers check first). */
  private fileOf(cloudPath: string): string {
    const problem = pathProblem(cloudPath)
    if (problem) throw new Error(problem)
    const file = path.resolve(this.files, ...cloudPath.split('/'))
    // Belt and braces: pathProblem already refuses anything that could leave the folder.
    if (!file.startsWith(this.files + path.sep)) throw new Error('cloudPath leaves the storage folder')
    return file
  }

  async write(cloudPath: string, content: Buffer): Promise<void> {
    const file = this.fileOf(cloudPath)
    await fs.mkdir(this.tmp, { recursive: true })
    const temp = path.join(this.tmp, randomBytes(8).toString('hex'))
    const handle = await fs.open(temp, 'w')
    try {
      await handle.writeFile(content)
      await handle.datasync()
    } finally {
      await handle.close()
    }
    try {
      await this.mkdirs(path.dirname(file))
      await fs.rename(temp, file)
    } catch (error) {
      await fs.rm(temp, { force: true })
      const code = (error as NodeJS.ErrnoException).code
      // COS keys are flat; a folder cannot be both a file and a folder here.
      if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') throw new FileConflict(`${cloudPath} clashes with a stored file or folder`)
      throw error
    }
    await syncDir(path.dirname(file))
  }

  /** The content and size, or undefined when there is no such file. */
  async read(cloudPath: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.fileOf(cloudPath))
    } catch (error) {
      if (isMissing(error)) return undefined
      throw error
    }
  }

  async exists(cloudPath: string): Promise<boolean> {
    try {
      return (await fs.stat(this.fileOf(cloudPath))).isFile()
    } catch (error) {
      if (isMissing(error)) return false
      throw error
    }
  }

  /** false when there was no such file. */
  async remove(cloudPath: string): Promise<boolean> {
    const file = this.fileOf(cloudPath)
    if (!(await this.exists(cloudPath))) return false
    try {
      await fs.unlink(file)
    } catch (error) {
      if (isMissing(error)) return false
      throw error
    }
    await syncDir(path.dirname(file))
    return true
  }

  /** Creates the folders down to `dir`, syncing each parent, so the new entries are durable too. */
  private async mkdirs(dir: string): Promise<void> {
    const created = await fs.mkdir(dir, { recursive: true })
    if (created === undefined) return
    for (let current = dir; current.length >= created.length; current = path.dirname(current)) await syncDir(path.dirname(current))
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
