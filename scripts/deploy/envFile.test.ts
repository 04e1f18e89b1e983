import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseEnvFile } from './envFile'

test('KEY=VALUE lines, export, comments, quotes, inline comments', () => {
  const text = [
    '# production',
    '',
    'PAY_MODE=merchant',
    'export WXPAY_APPID = wx1234567890abcdef ',
    'WXPAY_KEY="Zx9 # not a comment"',
    "WXPAY_NOTIFY_URL='https://pay.example.com/notify?a=1' # trailing",
    'ADMIN_OPENIDS=oA,oB # staff',
    'EMPTY=',
    'WINDOWS=yes\r',
  ].join('\n')
  assert.deepEqual(parseEnvFile(text, '.env.prod'), {
    ok: true,
    values: {
      PAY_MODE: 'merchant',
      WXPAY_APPID: 'wx1234567890abcdef',
      WXPAY_KEY: 'Zx9 # not a comment',
      WXPAY_NOTIFY_URL: 'https://pay.example.com/notify?a=1',
      ADMIN_OPENIDS: 'oA,oB',
      EMPTY: '',
      WINDOWS: 'yes',
    },
  })
})

test('bad lines are named by line number, never by their text', () => {
  const result = parseEnvFile('PAY_MODE=cloudpay\nsecretvalue123\nWXPAY_KEY="unclosed\n1BAD=x\nA="b" c\n', '.env.prod')
  assert.deepEqual(result, {
    ok: false,
    problems: [
      '.env.prod:2: not a KEY=VALUE line',
      '.env.prod:3: WXPAY_KEY: unbalanced quotes',
      '.env.prod:4: not a KEY=VALUE line',
      '.env.prod:5: A: unbalanced quotes',
    ],
  })
})
