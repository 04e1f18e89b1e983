// Refund notification `req_info` (docs/wechat-pay.md): base64 of AES-256-ECB with PKCS#7,
// keyed by the lowercase hex md5 of the merchant key, used as 32 ASCII bytes.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto'

function aesKey(merchantKey: string): Buffer {
  // Stryker disable next-line StringLiteral: 'utf8' is the default of Hash#update and Buffer.from, so '' means the same ('md5' or 'hex' emptied breaks every test)
  return Buffer.from(createHash('md5').update(merchantKey, 'utf8').digest('hex').toLowerCase(), 'utf8')
}

export function encryptReqInfo(plainXml: string, merchantKey: string): string {
  const cipher = createCipheriv('aes-256-ecb', aesKey(merchantKey), null)
  // Stryker disable next-line StringLiteral: 'utf8' is the default of Cipher#update, so '' means the same ('base64' emptied breaks every test)
  return Buffer.concat([cipher.update(plainXml, 'utf8'), cipher.final()]).toString('base64')
}

/** Throws when the key is wrong or the text was tampered with (bad padding). */
export function decryptReqInfo(reqInfo: string, merchantKey: string): string {
  const decipher = createDecipheriv('aes-256-ecb', aesKey(merchantKey), null)
  return Buffer.concat([decipher.update(Buffer.from(reqInfo, 'base64')), decipher.final()]).toString('utf8')
}
