import assert from 'node:assert/strict'
import { test } from 'node:test'
import postcss from 'postcss'
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the plugin is CommonJS, as Taro loads it
const trim = require('../config/postcss-mini-trim.cjs') as () => postcss.Plugin

const run = async (css: string): Promise<string> => (await postcss([trim()]).process(css, { from: undefined })).css

test('the mini program keeps no focus-ring rules, and keeps the rest of a rule list', async () => {
  assert.equal(await run('.a:focus-visible{outline:4px solid blue}.b{color:red}'), '.b{color:red}')
  assert.equal(await run('.a:focus-visible,.a:active{outline:0}'), '.a:active{outline:0}')
})

test('the mini program keeps no cursor, and every other declaration', async () => {
  assert.equal(await run('.a{cursor:pointer;color:red;user-select:none}'), '.a{color:red;user-select:none}')
})
