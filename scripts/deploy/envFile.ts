// `.env.<envId>`: the values one cloud environment's functions are deployed with. Parsed simply:
// `KEY=VALUE` lines, `export ` allowed, blank lines and `#` comments skipped, a value in matching
// single or double quotes taken literally (no escapes, no expansion), an unquoted value trimmed
// and cut at ` #`. A line that is none of these is an error naming its line number — never its
// text, which may hold a secret.

export type EnvFileResult = { ok: true; values: Record<string, string> } | { ok: false; problems: string[] }

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/

export function parseEnvFile(text: string, fileName: string): EnvFileResult {
  const values: Record<string, string> = {}
  const problems: string[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const match = LINE.exec(line)
    if (!match) {
      problems.push(`${fileName}:${index + 1}: not a KEY=VALUE line`)
      return
    }
    const [, key, rest] = match as unknown as [string, string, string]
    const quote = rest[0]
    if (quote === '"' || quote === "'") {
      const end = rest.indexOf(quote, 1)
      const after = end < 0 ? '' : rest.slice(end + 1).trim()
      if (end < 0 || (after !== '' && !after.startsWith('#'))) {
        problems.push(`${fileName}:${index + 1}: ${key}: unbalanced quotes`)
        return
      }
      values[key] = rest.slice(1, end)
    } else {
      const comment = rest.search(/\s#/)
      values[key] = (comment < 0 ? rest : rest.slice(0, comment)).trim()
    }
  })
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values }
}
