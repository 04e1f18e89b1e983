/**
 * assetUrl: which goods pictures the mini program loads from ASSET_BASE. In the app Taro replaces
 * ASSET_BASE and process.env.TARO_ENV at build time; here both are set as Node sees them.
 */
import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import { assetUrl } from './assets'

const globals = globalThis as { ASSET_BASE?: string }
const taroEnv = process.env.TARO_ENV

function build(platform: 'weapp' | 'h5', base: string): void {
  process.env.TARO_ENV = platform
  globals.ASSET_BASE = base
}

afterEach(() => {
  // Assigning undefined to process.env would store the string 'undefined'.
  if (taroEnv === undefined) delete process.env.TARO_ENV
  else process.env.TARO_ENV = taroEnv
  delete globals.ASSET_BASE
})

test('the mini program loads a picture stored as a path from ASSET_BASE', () => {
  build('weapp', 'https://img.example.com')
  assert.equal(assetUrl('/static/goods/mug.png'), 'https://img.example.com/static/goods/mug.png')
})

test('cloud:// file ids and full URLs pass untouched', () => {
  build('weapp', 'https://img.example.com')
  for (const pic of ['cloud://prod-1a2b3c.7072-prod-1a2b3c-1300000000/goods/mug.png', 'https://cdn.example.com/mug.png', '//cdn.example.com/mug.png', '']) {
    assert.equal(assetUrl(pic), pic)
  }
})

test('a release build without ASSET_BASE leaves paths as they are (the build warned)', () => {
  build('weapp', '')
  assert.equal(assetUrl('/static/goods/mug.png'), '/static/goods/mug.png')
})

test('H5 is served by the local cloud: paths stay paths', () => {
  build('h5', 'https://img.example.com')
  assert.equal(assetUrl('/static/goods/mug.png'), '/static/goods/mug.png')
})

test('H5 loads a cloud:// file id from the local cloud storage, by its path', () => {
  build('h5', '')
  assert.equal(assetUrl('cloud://local-env.local-env-local/goods/goods-mug/3f2a.png'), '/storage/goods/goods-mug/3f2a.png')
  assert.equal(
    assetUrl('cloud://prod-1a2b3c.7072-prod-1a2b3c-1300000000/商品/杯 子.png'),
    `/storage/${encodeURIComponent('商品')}/${encodeURIComponent('杯 子')}.png`,
  )
  assert.equal(assetUrl('cloud://malformed'), 'cloud://malformed')
})

test('the mini program keeps cloud:// file ids: its <Image> loads them', () => {
  build('weapp', '')
  assert.equal(assetUrl('cloud://local-env.local-env-local/goods/a.png'), 'cloud://local-env.local-env-local/goods/a.png')
})
