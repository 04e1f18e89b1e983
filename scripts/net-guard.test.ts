import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { lookup } from 'node:dns/promises'
import { after, before, test } from 'node:test'

// The tag tells the test runner that these blocked attempts were made on purpose; any other
// blocked attempt fails the run. Set only while these tests run: unit test files share a process
// (scripts/test-shard.ts), and a tag left behind would excuse the other files' attempts.
const untagged = process.env['NET_GUARD_TAG']
before(() => {
  process.env['NET_GUARD_TAG'] = 'net-guard-self-test'
})
after(() => {
  if (untagged === undefined) delete process.env['NET_GUARD_TAG']
  else process.env['NET_GUARD_TAG'] = untagged
})
const MARKED_HOST = 'self-test.example.com'

test('the network guard is preloaded in test processes', () => {
  assert.ok((globalThis as Record<symbol, unknown>)[Symbol.for('taro-wxpay-shop.net-guard')], 'run tests with npm test')
})

test('a DNS lookup of a public name fails and is recorded', async () => {
  await assert.rejects(lookup(MARKED_HOST), (error: NodeJS.ErrnoException) => error.code === 'ENETGUARD')
})

test('a connection to a public or private address fails', async () => {
  for (const host of [MARKED_HOST, '10.0.0.1', '8.8.8.8']) {
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = connect({ host, port: 443 })
      socket.on('connect', () => resolve(Object.assign(new Error('connected'), { code: 'CONNECTED' })))
      socket.on('error', resolve)
    })
    assert.equal(error.code, 'ENETGUARD', host)
  }
})

test('fetch to a public URL fails, loopback is allowed', async () => {
  await assert.rejects(fetch(`http://${MARKED_HOST}/`))
  const server = createServer((_req, res) => res.end('loopback ok'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), 'loopback ok')
  server.close()
})
