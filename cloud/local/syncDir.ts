import { promises as fs } from 'node:fs'

/** Makes a folder's entries durable (a file created, renamed or removed in it survives a crash). */
export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
