import { existsSync } from 'node:fs'

// The browser tests drive Debian's Chromium; nothing downloads a browser at run time.

export const DEFAULT_CHROMIUM = '/usr/bin/chromium'

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['CHROMIUM_PATH'] || DEFAULT_CHROMIUM
}

/** One line saying how to get Chromium, or null when it is there. */
export function missingChromium(env: NodeJS.ProcessEnv = process.env, exists: (file: string) => boolean = existsSync): string | null {
  const file = chromiumPath(env)
  if (exists(file)) return null
  const from = env['CHROMIUM_PATH'] ? `CHROMIUM_PATH=${file}` : file
  return `Chromium not found at ${from}: install it with \`apt-get install chromium\` (Debian), or set CHROMIUM_PATH to a Chromium binary`
}
