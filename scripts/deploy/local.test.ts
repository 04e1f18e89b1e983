import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, test } from 'node:test'
import { tempRepo } from './fixtures'
import { deployLocal } from './local'

// The local target's client without a local cloud: what it refuses before sending anything, and
// what it says when nothing answers. (Against a running local cloud: cloud/local/http/redeploy.test.ts.)

const repo = tempRepo()
after(() => repo.remove())

async function run(url: string, names: string[] = ['plain']): Promise<{ ok: boolean; output: string; built: number }> {
  const lines: string[] = []
  let built = 0
  const result = await deployLocal({
    root: repo.root,
    names,
    url,
    build: async (n) => {
      built++
      await repo.build(n)
    },
    print: (line) => lines.push(line),
  })
  return { ok: result.ok, output: lines.join('\n'), built }
}

test('only a local cloud on this machine: any other URL is refused before building or sending', async () => {
  for (const url of [
    'https://127.0.0.1:8787',
    'http://10.0.0.2:8787',
    'http://example.com',
    'http://127.0.0.1.example.com:8787',
    'http://localhost:8787/admin',
  ]) {
    const { ok, output, built } = await run(url)
    assert.equal(ok, false, url)
    assert.equal(built, 0, url)
    assert.match(output, /--url must be the local cloud on this machine/, url)
  }
})

test('unknown functions are refused; a local cloud that is not running is reported as such', async () => {
  assert.match((await run('http://127.0.0.1:8787', ['nope'])).output, /no such function: nope/)
  const closed = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
  const { ok, output } = await run(`http://127.0.0.1:${closed}`)
  assert.equal(ok, false)
  assert.match(output, /FAILED at plain \(no answer, .*is it running\?/)
  assert.match(output, /deployed: none; not attempted: none/)
})
