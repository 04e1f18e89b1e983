import assert from 'node:assert/strict'

/**
 * A message a shopper may read: Chinese words, and nothing only an operator should see — no
 * environment variable or setting names, console menu paths, merchant numbers or English
 * validation text.
 */
export function assertShopperWords(message: string, where = ''): void {
  const at = `${JSON.stringify(message)}${where ? ` (${where})` : ''}`
  assert.match(message, /[\u4e00-\u9fff]/, `not in the shopper's words: ${at}`)
  assert.doesNotMatch(message, /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/, `names a setting: ${at}`)
  assert.doesNotMatch(message, /\b(must|is not|not valid|invalid|forbidden|expected|undefined|null|object|integer)\b/i, `English validation text: ${at}`)
  assert.doesNotMatch(message, /控制台|环境变量|商户号|商户平台|→/, `operator detail: ${at}`)
}
