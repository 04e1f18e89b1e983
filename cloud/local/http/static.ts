import { createReadStream, promises as fs } from 'node:fs'
import type { ServerResponse } from 'node:http'
import path from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
}

/** Serves a file below `root`; answers false when there is none (never escapes `root`). */
export async function serveFile(res: ServerResponse, root: string, urlPath: string, method: string): Promise<boolean> {
  let relative: string
  try {
    relative = decodeURIComponent(urlPath)
  } catch {
    return false
  }
  const file = path.resolve(root, `.${path.posix.normalize(`/${relative}`)}`)
  if (file !== root && !file.startsWith(root + path.sep)) return false
  let stat
  try {
    stat = await fs.stat(file)
  } catch {
    return false
  }
  if (!stat.isFile()) return false
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
  const cache = type.startsWith('text/html') ? 'no-cache' : 'public, max-age=3600'
  res.writeHead(200, { 'content-type': type, 'content-length': stat.size, 'cache-control': cache })
  if (method === 'HEAD') res.end()
  else createReadStream(file).pipe(res)
  return true
}
