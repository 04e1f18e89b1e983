import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decryptReqInfo, encryptReqInfo } from './reqInfo'
// The key of the official signature vector (docs/wechat-pay.md).
const MERCHANT_KEY = '192006250b4c09247ec02edce69f6a2d'
import { XmlError, buildXml, parseFlatXml } from './xml'

function refused(input: string, code: XmlError['code'], options = {}) {
  assert.throws(
    () => parseFlatXml(input, options),
    (err: unknown) => err instanceof XmlError && err.code === code,
    `expected ${code} for ${input.slice(0, 80)}`,
  )
}

describe('parseFlatXml', () => {
  it('reads CDATA, plain text, entities and character references', () => {
    const fields = parseFlatXml(
      '<xml><return_code><![CDATA[SUCCESS]]></return_code><total_fee>1990</total_fee><attach>a &amp; b &lt;c&gt; &#20013;&#x6587;</attach><empty/></xml>',
    )
    assert.deepEqual({ ...fields }, { return_code: 'SUCCESS', total_fee: '1990', attach: 'a & b <c> 中文', empty: '' })
  })

  it('accepts what xml2js (wx-js-utils) writes: declaration, indentation, mixed CDATA', () => {
    const { Builder } = require('xml2js') as { Builder: new (o: object) => { buildObject(o: object): string } }
    const xml = new Builder({ cdata: true, rootName: 'xml' }).buildObject({ appid: 'wx1', body: 'a<b]]>c', total_fee: '1' })
    assert.match(xml, /^<\?xml/)
    assert.deepEqual({ ...parseFlatXml(xml) }, { appid: 'wx1', body: 'a<b]]>c', total_fee: '1' })
  })

  it('returns a prototype-free record', () => {
    const fields = parseFlatXml('<xml><a>1</a></xml>')
    assert.equal(Object.getPrototypeOf(fields), null)
    assert.equal('toString' in fields, false)
  })

  it('refuses a DOCTYPE, internal entity definitions and external entities', () => {
    refused('<!DOCTYPE xml [<!ENTITY x "y">]><xml><a>&x;</a></xml>', 'XML_DOCTYPE')
    refused('<?xml version="1.0"?><!DOCTYPE foo SYSTEM "file:///etc/passwd"><xml><a>1</a></xml>', 'XML_DOCTYPE')
    refused('<!doctype xml><xml/>', 'XML_DOCTYPE')
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><xml><a>&lol9;</a></xml>`
    refused(laughs, 'XML_DOCTYPE')
    refused('<xml><a><!ENTITY x "y"></a></xml>', 'XML_DOCTYPE')
  })

  it('refuses undeclared entity references', () => {
    refused('<xml><a>&xxe;</a></xml>', 'XML_MALFORMED')
    refused('<xml><a>&constructor;</a></xml>', 'XML_MALFORMED')
    refused('<xml><a>&#0;</a></xml>', 'XML_MALFORMED')
    refused('<xml><a>&#xD800;</a></xml>', 'XML_MALFORMED')
  })

  it('refuses bodies over the size limit before parsing them', () => {
    refused(`<xml><a>${'x'.repeat(70 * 1024)}</a></xml>`, 'XML_TOO_LARGE')
    refused(`<xml><a>${'中'.repeat(30)}</a></xml>`, 'XML_TOO_LARGE', { maxBytes: 64 })
    refused(`<xml>${Array.from({ length: 300 }, (_, i) => `<f${i}>1</f${i}>`).join('')}</xml>`, 'XML_TOO_MANY_FIELDS')
  })

  it('refuses duplicate fields instead of picking one', () => {
    refused('<xml><total_fee>1</total_fee><total_fee>9999</total_fee></xml>', 'XML_DUPLICATE_FIELD')
  })

  it('refuses __proto__, constructor and prototype fields and never pollutes Object.prototype', () => {
    refused('<xml><__proto__><polluted>yes</polluted></__proto__></xml>', 'XML_FORBIDDEN_FIELD')
    refused('<xml><__proto__>x</__proto__></xml>', 'XML_FORBIDDEN_FIELD')
    refused('<xml><constructor>x</constructor></xml>', 'XML_FORBIDDEN_FIELD')
    refused('<xml><prototype>x</prototype></xml>', 'XML_FORBIDDEN_FIELD')
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  it('refuses nesting, attributes, stray text and malformed structure', () => {
    refused('<xml><a><b>1</b></a></xml>', 'XML_NESTED')
    refused('<xml><a x="1">1</a></xml>', 'XML_MALFORMED')
    refused('<xml id="1"><a>1</a></xml>', 'XML_MALFORMED')
    refused('<xml>text<a>1</a></xml>', 'XML_MALFORMED')
    refused('<xml><a>1</b></xml>', 'XML_MALFORMED')
    refused('<xml><a>1</a>', 'XML_MALFORMED')
    refused('<xml><a>1</a></xml><xml/>', 'XML_MALFORMED')
    refused('<root><a>1</a></root>', 'XML_MALFORMED')
    refused('<xml><a><![CDATA[never closed</a></xml>', 'XML_MALFORMED')
    refused('<xml><?php echo 1 ?><a>1</a></xml>', 'XML_MALFORMED')
    refused('<xml><a>\u0001</a></xml>', 'XML_MALFORMED')
    refused('<xml><x:a>1</x:a></xml>', 'XML_MALFORMED')
    refused('', 'XML_EMPTY')
    refused('not xml at all', 'XML_MALFORMED')
  })

  it('skips comments and whitespace around fields', () => {
    assert.deepEqual({ ...parseFlatXml('<!-- c --><xml>\n  <a>1</a><!-- c -->\n</xml>\n') }, { a: '1' })
  })
})

describe('buildXml', () => {
  it('round-trips values, including ones that contain ]]>', () => {
    const fields = { return_code: 'SUCCESS', body: 'x]]><script>', total_fee: 1990 }
    const xml = buildXml(fields)
    assert.equal(xml.startsWith('<xml><return_code><![CDATA[SUCCESS]]></return_code>'), true)
    assert.deepEqual({ ...parseFlatXml(xml) }, { return_code: 'SUCCESS', body: 'x]]><script>', total_fee: '1990' })
  })

  it('refuses names that are not plain XML names', () => {
    assert.throws(() => buildXml({ 'a b': '1' }), XmlError)
    assert.throws(() => buildXml({ ['__proto__']: '1' } as Record<string, string>), XmlError)
  })
})

describe('refund req_info', () => {
  it('round-trips with AES-256-ECB keyed by md5(key) and fails with another key', () => {
    const inner = buildXml({ out_refund_no: 'R1', refund_status: 'SUCCESS' }, 'root')
    const sealed = encryptReqInfo(inner, MERCHANT_KEY)
    assert.equal(decryptReqInfo(sealed, MERCHANT_KEY), inner)
    assert.deepEqual({ ...parseFlatXml(decryptReqInfo(sealed, MERCHANT_KEY), { root: 'root' }) }, { out_refund_no: 'R1', refund_status: 'SUCCESS' })
    assert.throws(() => decryptReqInfo(sealed, 'wrong-key'))
  })
})
