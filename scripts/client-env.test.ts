/**
 * The mini program's build settings (config/clientEnv.ts): CLOUD_ENV, TARO_APP_ID, ASSET_BASE and
 * the release build's rules. Unit tier (it lives under scripts/ because scripts/test-tiers.ts has
 * no rule for config/). The real builds are checked in scripts/weapp/client-config.test.ts.
 */
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { clientSettings, isLoopbackHost, LOCAL_ASSET_BASE, RELEASE_MODE, withAppId, type ClientBuild, type Env } from '../config/clientEnv'

const ROOT = path.resolve('/work/shop')

function settings(env: Env, mode = 'production', templateAppId: string | undefined = 'touristappid') {
  const build: ClientBuild = { env: { TARO_ENV: 'weapp', NODE_ENV: 'production', ...env }, mode, templateAppId, root: ROOT }
  return clientSettings(build)
}
const release = (env: Env) => settings({ TARO_APP_ID: 'wx0123456789abcdef', ...env }, RELEASE_MODE)
const defined = (value: string): unknown => JSON.parse(value)

test('a local weapp build loads pictures from the local cloud and says so', () => {
  const s = settings({})
  assert.equal(s.release, false)
  assert.equal(defined(s.defineConstants.ASSET_BASE), LOCAL_ASSET_BASE)
  assert.equal(LOCAL_ASSET_BASE, 'http://127.0.0.1:8787')
  assert.deepEqual(s.errors, [])
  assert.ok(
    s.notes.some((n) => n.includes(LOCAL_ASSET_BASE) && n.includes('--mode release')),
    `a note names the local base and the release switch: ${s.notes.join(' | ')}`,
  )
})

test('only --mode release is a release build (taro build sets NODE_ENV=production for every build)', () => {
  for (const mode of ['production', 'development', 'uat']) assert.equal(settings({}, mode).release, false, mode)
  assert.equal(settings({}, 'release').release, true)
})

test('without CLOUD_ENV the mini program uses the default environment, and the build says so (not an error)', () => {
  const s = settings({})
  assert.equal(defined(s.defineConstants.CLOUD_ENV), '')
  assert.deepEqual(s.errors, [])
  assert.ok(
    s.notes.some((n) => n.includes('CLOUD_ENV is not set') && n.includes('default')),
    s.notes.join(' | '),
  )
  // A blank value is no value.
  assert.equal(defined(settings({ CLOUD_ENV: '  ' }).defineConstants.CLOUD_ENV), '')
})

test('CLOUD_ENV becomes the environment wx.cloud.init calls', () => {
  const s = settings({ CLOUD_ENV: ' prod-1a2b3c ' })
  assert.equal(defined(s.defineConstants.CLOUD_ENV), 'prod-1a2b3c')
  assert.deepEqual(s.errors, [])
  assert.ok(!s.notes.some((n) => n.includes('CLOUD_ENV is not set')))
  assert.ok(s.notes.some((n) => n.includes('prod-1a2b3c')))
})

test('a CLOUD_ENV that is no environment id stops the build, naming the variable', () => {
  for (const bad of ['prod env', 'prod"; alert(1)//', '-prod', 'x'.repeat(65)]) {
    const s = settings({ CLOUD_ENV: bad })
    assert.equal(s.errors.length, 1, bad)
    assert.match(s.errors[0]!, /^CLOUD_ENV=/)
    assert.equal(defined(s.defineConstants.CLOUD_ENV), '', 'nothing of a refused value reaches the bundle')
  }
})

test('a production build with the tourist AppID warns; TARO_APP_ID replaces it', () => {
  const tourist = settings({})
  assert.equal(tourist.appId, 'touristappid')
  assert.equal(tourist.warnings.length, 1)
  assert.match(tourist.warnings[0]!, /touristappid/)
  assert.match(tourist.warnings[0]!, /TARO_APP_ID/)
  assert.deepEqual(tourist.errors, [], 'a warning, not an error')

  const own = settings({ TARO_APP_ID: 'wx0123456789abcdef' })
  assert.equal(own.appId, 'wx0123456789abcdef')
  assert.deepEqual(own.warnings, [])

  assert.equal(settings({ TARO_APP_ID: 'touristappid' }).warnings.length, 1, 'TARO_APP_ID=touristappid is still the tourist AppID')
  assert.equal(settings({ NODE_ENV: 'development' }, 'development').warnings.length, 0, 'a watch build is no production build')
  assert.equal(settings({}, 'production', 'wx0123456789abcdef').warnings.length, 0, "the template's own AppID counts")
  const watchRelease = settings({ NODE_ENV: 'development', ASSET_BASE: 'https://img.example.com' }, RELEASE_MODE)
  assert.equal(watchRelease.warnings.length, 1, 'a release build warns even in watch mode')
  assert.match(watchRelease.warnings[0]!, /touristappid/)
})

test('a release build refuses a picture base only this machine can reach, naming ASSET_BASE', () => {
  for (const base of [
    'http://127.0.0.1:8787',
    'https://127.0.0.1:8787',
    'https://127.10.20.30',
    'https://localhost',
    'https://LOCALHOST:8443/pics',
    'https://shop.localhost',
    'https://[::1]:8787',
    'https://0.0.0.0',
  ]) {
    const s = release({ ASSET_BASE: base })
    assert.equal(s.errors.length, 1, `${base}: ${s.errors.join(' | ')}`)
    assert.match(s.errors[0]!, /^ASSET_BASE=/)
    assert.match(s.errors[0]!, /https:\/\//, 'says what to set')
  }
})

test('a release build refuses a plain-http picture base', () => {
  const s = release({ ASSET_BASE: 'http://img.example.com' })
  assert.equal(s.errors.length, 1)
  assert.match(s.errors[0]!, /^ASSET_BASE=http:\/\/img\.example\.com .*https/)
})

test('a release build has no picture default: without ASSET_BASE it warns (cloud:// pictures need none)', () => {
  const s = release({})
  assert.equal(defined(s.defineConstants.ASSET_BASE), '')
  assert.deepEqual(s.errors, [])
  assert.equal(s.warnings.length, 1)
  assert.match(s.warnings[0]!, /^ASSET_BASE is not set/)
  assert.match(s.warnings[0]!, /cloud:\/\//)
})

test('a release build with an https base, an AppID and an environment is clean', () => {
  const s = release({ ASSET_BASE: 'https://img.example.com/shop/', CLOUD_ENV: 'prod-1a2b3c' })
  assert.deepEqual([...s.errors, ...s.warnings], [])
  assert.equal(defined(s.defineConstants.ASSET_BASE), 'https://img.example.com/shop', 'no trailing slash: picture paths start with one')
  assert.equal(defined(s.defineConstants.CLOUD_ENV), 'prod-1a2b3c')
})

test('a local build takes any http(s) base it is given, loopback included', () => {
  for (const base of ['http://127.0.0.1:9999', 'http://192.168.1.5:8787', 'https://img.example.com']) {
    const s = settings({ ASSET_BASE: base })
    assert.deepEqual(s.errors, [], base)
    assert.equal(defined(s.defineConstants.ASSET_BASE), base)
  }
})

test('a malformed ASSET_BASE stops any weapp build', () => {
  for (const base of [
    'img.example.com',
    'ftp://img.example.com',
    'cloud://prod-1a2b3c.7072',
    'https://img.example.com/?v=1',
    'https://user:pw@img.example.com',
  ]) {
    for (const s of [settings({ ASSET_BASE: base }), release({ ASSET_BASE: base })]) {
      assert.equal(s.errors.length, 1, `${base}: ${s.errors.join(' | ')}`)
      assert.match(s.errors[0]!, /^ASSET_BASE=/)
    }
  }
})

test('the H5 build has none of these rules: it is served by the local cloud and has no wx.cloud', () => {
  const s = clientSettings({
    env: { TARO_ENV: 'h5', NODE_ENV: 'production', ASSET_BASE: 'http://127.0.0.1:8787', CLOUD_ENV: 'prod env' },
    mode: RELEASE_MODE,
    templateAppId: 'touristappid',
    root: ROOT,
  })
  assert.deepEqual([...s.errors, ...s.warnings, ...s.notes], [])
  assert.deepEqual(s.defineConstants, { ASSET_BASE: '""', CLOUD_ENV: '""' })
  assert.equal(s.outputRoot, 'dist/h5')
})

test('TARO_OUTPUT_ROOT moves the build, never onto the project or its sources', () => {
  assert.equal(settings({}).outputRoot, 'dist/weapp')
  assert.equal(settings({ TARO_OUTPUT_ROOT: '/tmp/weapp-build' }).outputRoot, path.resolve('/tmp/weapp-build'))
  assert.equal(settings({ TARO_OUTPUT_ROOT: 'dist/weapp-release' }).outputRoot, path.join(ROOT, 'dist', 'weapp-release'))
  for (const bad of [ROOT, path.dirname(ROOT), '/', 'src', '.', 'dist', 'config/out']) {
    const s = settings({ TARO_OUTPUT_ROOT: bad })
    assert.equal(s.errors.length, 1, bad)
    assert.match(s.errors[0]!, /^TARO_OUTPUT_ROOT=/)
    assert.equal(s.outputRoot, 'dist/weapp')
  }
})

test('isLoopbackHost: this machine only', () => {
  for (const host of ['localhost', 'a.localhost', '127.0.0.1', '127.255.0.9', '[::1]', '::1', '0.0.0.0']) assert.equal(isLoopbackHost(host), true, host)
  for (const host of ['img.example.com', '127.0.0.1.example.com', 'localhost.example.com', '10.0.0.1', '192.168.1.5', '[2001:db8::1]']) {
    assert.equal(isLoopbackHost(host), false, host)
  }
})

test('withAppId sets the root project file’s appid and keeps the rest', () => {
  const text = `${JSON.stringify({ miniprogramRoot: 'dist/weapp/', appid: 'touristappid', setting: { urlCheck: true } }, null, 2)}\n`
  const updated = withAppId(text, 'wx0123456789abcdef')
  assert.ok(updated !== null)
  assert.deepEqual(JSON.parse(updated), { miniprogramRoot: 'dist/weapp/', appid: 'wx0123456789abcdef', setting: { urlCheck: true } })
  assert.ok(updated.endsWith('}\n'))
  assert.equal(withAppId(updated, 'wx0123456789abcdef'), null, 'unchanged: not rewritten')
  assert.throws(() => withAppId('[]', 'wx0123456789abcdef'))
})
