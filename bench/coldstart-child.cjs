// One cold start: a fresh Node process loads a deployable folder and serves its first
// invocation against the local cloud, then reports how long that took since the process began
// and its peak memory. The WeChat context and configuration come from the environment.
'use strict'
const path = require('node:path')
const [folder, eventJson, wxpayApiBase] = process.argv.slice(2)
const started = performance.now()

async function run() {
  const fn = require(path.resolve(folder, 'index.js'))
  if (wxpayApiBase) {
    // Only the baseline needs this: its WXPay would otherwise call the real pay API.
    const { WXPayConstants } = require(require.resolve('wx-js-utils', { paths: [folder] }))
    for (const [name, url] of Object.entries(WXPayConstants)) {
      if (name.endsWith('_URL')) WXPayConstants[name] = url.replace('https://api.mch.weixin.qq.com', wxpayApiBase)
    }
  }
  const result = await fn.main(JSON.parse(eventJson), {})
  const ok = result && (result.ok === true || result.errcode === 0 || typeof result.outTradeNo === 'string')
  process.stdout.write(
    JSON.stringify({
      ok,
      sinceProcessStartMs: performance.now(),
      loadAndServeMs: performance.now() - started,
      maxRssKb: process.resourceUsage().maxRSS,
      result: ok ? undefined : result,
    }) + '\n',
  )
  process.exit(0)
}
run().catch((error) => {
  process.stdout.write(JSON.stringify({ ok: false, error: String(error && error.stack) }) + '\n')
  process.exit(1)
})
