import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildXml, DEFAULT_MAX_XML_BYTES, isXmlName, parseFlatXml, XmlError, type ParseXmlOptions } from './xml'

/** The error parseFlatXml throws, as `code: message` (the message goes to the operators' logs). */
function refusal(input: string, options: ParseXmlOptions = {}): string {
  try {
    parseFlatXml(input, options)
  } catch (error) {
    assert.ok(error instanceof XmlError, `not an XmlError: ${String(error)}`)
    assert.equal(error.name, 'XmlError')
    return `${error.code}: ${error.message}`
  }
  assert.fail(`accepted ${JSON.stringify(input.slice(0, 80))}`)
}

const parse = (input: string, options: ParseXmlOptions = {}) => ({ ...parseFlatXml(input, options) })

describe('parseFlatXml accepts', () => {
  test('all five named entities', () => {
    assert.deepEqual(parse('<xml><a>&lt;&gt;&amp;&quot;&apos;</a></xml>'), { a: `<>&"'` })
  })

  test('decimal and hexadecimal character references up to U+10FFFF', () => {
    assert.deepEqual(parse('<xml><a>&#65;&#x42;&#x6a;&#9;&#x10FFFF;&#xE000;&#xFFFD;&#1114111;</a></xml>'), {
      a: 'ABj\t\u{10FFFF}\uE000\uFFFD\u{10FFFF}',
    })
  })

  test('a byte order mark before the document', () => {
    assert.deepEqual(parse('\uFEFF<xml><a>1</a></xml>'), { a: '1' })
  })

  test('an empty root, written either way', () => {
    assert.deepEqual(parse('<xml/>'), {})
    assert.deepEqual(parse('<?xml version="1.0"?>\n<xml />\n<!-- end -->\n'), {})
    assert.deepEqual(parse('<xml></xml>'), {})
    assert.deepEqual(parse('<xml>\n</xml >'), {})
  })

  test('another root when asked for one', () => {
    assert.deepEqual(parse('<root><a>1</a></root>', { root: 'root' }), { a: '1' })
  })

  test('comments inside a value, which are left out of it', () => {
    assert.deepEqual(parse('<xml><a>1<!-- no -->2</a></xml>'), { a: '12' })
  })

  test('spaces inside closing tags and before self-closing ends', () => {
    assert.deepEqual(parse('<xml><a >1</a ><b />\t<c\n/></xml>'), { a: '1', b: '', c: '' })
  })

  test('names up to 64 characters', () => {
    const name = `_${'a'.repeat(63)}`
    assert.deepEqual(parse(`<xml><${name}>1</${name}></xml>`), { [name]: '1' })
  })

  test('exactly as many bytes and fields as allowed', () => {
    const body = `<xml><a>${'x'.repeat(DEFAULT_MAX_XML_BYTES - 18)}</a></xml>`
    assert.equal(body.length, DEFAULT_MAX_XML_BYTES)
    assert.equal(parse(body)['a']?.length, DEFAULT_MAX_XML_BYTES - 18)
    assert.deepEqual(parse('<xml><a>中</a></xml>', { maxBytes: 21 }), { a: '中' })
    assert.deepEqual(parse('<xml><a>1</a><b>2</b></xml>', { maxFields: 2 }), { a: '1', b: '2' })
  })

  test('up to 200 fields by default', () => {
    const fields = Array.from({ length: 200 }, (_, i) => `<f${i}>${i}</f${i}>`).join('')
    assert.equal(Object.keys(parse(`<xml>${fields}</xml>`)).length, 200)
    assert.match(refusal(`<xml>${fields}<f200>1</f200></xml>`), /^XML_TOO_MANY_FIELDS: more than 200 fields$/)
  })

  test('CDATA that looks like markup, and CDATA next to text', () => {
    assert.deepEqual(parse('<xml><a>x<![CDATA[<b>&amp;</b>]]>y</a><c><![CDATA[]]></c></xml>'), { a: 'x<b>&amp;</b>y', c: '' })
  })
})

describe('parseFlatXml refuses, saying why', () => {
  const cases: Array<[string, string, ParseXmlOptions?]> = [
    ['', 'XML_EMPTY: empty XML body'],
    [' \n\t ', 'XML_EMPTY: empty XML body'],
    [`<xml><a>${'x'.repeat(DEFAULT_MAX_XML_BYTES - 17)}</a></xml>`, `XML_TOO_LARGE: XML body over ${DEFAULT_MAX_XML_BYTES} bytes`],
    ['<xml><a>中中</a></xml>', 'XML_TOO_LARGE: XML body over 20 bytes', { maxBytes: 20 }],
    ['<xml><a>1</a><b>2</b><c>3</c></xml>', 'XML_TOO_MANY_FIELDS: more than 2 fields', { maxFields: 2 }],
    ['<xml><a>\u0001</a></xml>', 'XML_MALFORMED: character not allowed in XML'],
    ['<root/>', 'XML_MALFORMED: expected <xml>'],
    ['<xml/>', 'XML_MALFORMED: expected <root>', { root: 'root' }],
    ['<xml id="1"/>', 'XML_MALFORMED: attributes are not allowed on <xml>'],
    ['<xml/><?xml version="1.0"?>', 'XML_MALFORMED: processing instruction not allowed'],
    ['<xml/><xml/>', 'XML_MALFORMED: content after the root element'],
    ['<xml>text</xml>', 'XML_MALFORMED: text outside a field'],
    ['<xml><?xml version="1.0"?><a>1</a></xml>', 'XML_MALFORMED: processing instruction not allowed'],
    ['<xml><?php echo 1 ?><a>1</a></xml>', 'XML_MALFORMED: processing instruction not allowed'],
    ['<?php echo 1 ?><xml/>', 'XML_MALFORMED: processing instruction not allowed'],
    ['<xml><constructor>1</constructor></xml>', 'XML_FORBIDDEN_FIELD: field name not allowed: constructor'],
    ['<xml><a>1</a><a>2</a></xml>', 'XML_DUPLICATE_FIELD: duplicate field: a'],
    ['<xml><a x="1">1</a></xml>', 'XML_MALFORMED: attributes are not allowed on <a>'],
    ['<xml><a>1</b></xml>', 'XML_MALFORMED: unclosed <a>'],
    ['<xml><a>1</a x></xml>', 'XML_MALFORMED: malformed </a>'],
    ['<xml><a>1</a></root>', 'XML_MALFORMED: mismatched closing tag for <xml>'],
    ['<xml><a>1</a></xml x>', 'XML_MALFORMED: malformed </xml>'],
    ['<xml><a>1</a></xml><?xml version="1.0"?>', 'XML_MALFORMED: processing instruction not allowed'],
    ['<xml><a>1</a></xml>x', 'XML_MALFORMED: content after the root element'],
    ['<!DOCTYPE xml><xml/>', 'XML_DOCTYPE: DOCTYPE is not allowed'],
    ['<!ELEMENT xml ANY><xml/>', 'XML_MALFORMED: markup declaration not allowed'],
    ['<xml><!ELEMENT a ANY><a>1</a></xml>', 'XML_MALFORMED: markup declaration not allowed'],
    ['<xml><![CDATA[x]]><a>1</a></xml>', 'XML_MALFORMED: invalid field name'],
    ['<xml><1a>1</1a></xml>', 'XML_MALFORMED: invalid field name'],
    ['<xml><-a>1</-a></xml>', 'XML_MALFORMED: invalid field name'],
    [`<xml><${'a'.repeat(65)}>1</${'a'.repeat(65)}></xml>`, 'XML_MALFORMED: invalid field name'],
    ['<xml><a>1', 'XML_MALFORMED: unexpected end of XML'],
    ['<xml><a>', 'XML_MALFORMED: unexpected end of XML'],
    ['<xml><a><![CDATA[1]]>', 'XML_MALFORMED: unexpected end of XML'],
    ['<xml><a><![CDATA[1</a></xml>', 'XML_MALFORMED: unterminated CDATA section'],
    ['<xml><a><b>1</b></a></xml>', 'XML_NESTED: nested markup inside a field'],
    ['<xml><a><!DOCTYPE x></a></xml>', 'XML_DOCTYPE: nested markup inside a field'],
    ['<xml><a>1<!-- never closed</a></xml>', 'XML_MALFORMED: missing -->'],
    ['<xml><!-- never closed <a>1</a></xml>', 'XML_MALFORMED: missing -->'],
    ['<?xml version="1.0" <xml/>', 'XML_MALFORMED: missing ?>'],
    ['<xml><a>&xxe;</a></xml>', 'XML_MALFORMED: unknown entity reference &xxe;'],
    ['<xml><a>&amp</a></xml>', 'XML_MALFORMED: unknown entity reference &;'],
    ['<xml><a>&</a></xml>', 'XML_MALFORMED: unknown entity reference &;'],
    ['<xml><a>&;</a></xml>', 'XML_MALFORMED: unknown entity reference &;'],
    ['<xml><a>&abcdefghi;</a></xml>', 'XML_MALFORMED: unknown entity reference &abcdefghi;'],
    ['<xml><a>&abcdefghij;</a></xml>', 'XML_MALFORMED: unknown entity reference &;'],
    ['<xml><a>&AMP;</a></xml>', 'XML_MALFORMED: unknown entity reference &AMP;'],
    ['<xml><a>&#65a;</a></xml>', 'XML_MALFORMED: unknown entity reference &#65a;'],
    ['<xml><a>&#x41g;</a></xml>', 'XML_MALFORMED: unknown entity reference &#x41g;'],
    ['<xml><a>&#9#65;</a></xml>', 'XML_MALFORMED: unknown entity reference &#9#65;'],
    ['<xml><a>&axa;</a></xml>', 'XML_MALFORMED: unknown entity reference &axa;'],
    ['<xml><a>&x41;</a></xml>', 'XML_MALFORMED: unknown entity reference &x41;'],
    ['<xml><a>&#;</a></xml>', 'XML_MALFORMED: unknown entity reference &#;'],
    ['<xml><a>&#x;</a></xml>', 'XML_MALFORMED: unknown entity reference &#x;'],
    ['<xml><a>&#12345678;</a></xml>', 'XML_MALFORMED: unknown entity reference &#12345678;'],
    ['<xml><a>&#x1234567;</a></xml>', 'XML_MALFORMED: unknown entity reference &#x1234567;'],
    ['<xml><a>&#x110000;</a></xml>', 'XML_MALFORMED: unknown entity reference &#x110000;'],
    ['<xml><a>&#1114112;</a></xml>', 'XML_MALFORMED: unknown entity reference &#1114112;'],
    ['<xml><a>&#xD800;</a></xml>', 'XML_MALFORMED: unknown entity reference &#xD800;'],
    ['<xml><a>&#xDFFF;</a></xml>', 'XML_MALFORMED: unknown entity reference &#xDFFF;'],
    ['<xml><a>&#xFFFE;</a></xml>', 'XML_MALFORMED: unknown entity reference &#xFFFE;'],
    ['<xml><a>&#1;</a></xml>', 'XML_MALFORMED: unknown entity reference &#1;'],
    ['<xml><a>&#x0;</a></xml>', 'XML_MALFORMED: unknown entity reference &#x0;'],
  ]
  for (const [input, expected, options] of cases) {
    test(`${JSON.stringify(input.slice(0, 60))}${options ? ` ${JSON.stringify(options)}` : ''}`, () => {
      assert.equal(refusal(input, options), expected)
    })
  }
})

describe('isXmlName', () => {
  test('is a letter or _, then up to 63 letters, digits or _, and none of the prototype names', () => {
    for (const good of ['a', 'Z', '_', 'a1', `a${'b'.repeat(63)}`, 'return_code']) assert.equal(isXmlName(good), true, good)
    for (const bad of ['', '1a', '-a', 'a-b', 'a b', 'a:b', `a${'b'.repeat(64)}`, '__proto__', 'constructor', 'prototype', 'é']) {
      assert.equal(isXmlName(bad), false, bad)
    }
  })
})

describe('buildXml', () => {
  test('writes each value as CDATA in key order, leaving out undefined ones', () => {
    assert.equal(buildXml({ b: 'x', a: 1, c: undefined, d: '' }), '<xml><b><![CDATA[x]]></b><a><![CDATA[1]]></a><d><![CDATA[]]></d></xml>')
    assert.equal(buildXml({}), '<xml></xml>')
    assert.equal(buildXml({ a: 'x' }, 'root'), '<root><a><![CDATA[x]]></a></root>')
  })

  test('splits ]]> across two CDATA sections', () => {
    assert.equal(buildXml({ a: 'x]]>y' }), '<xml><a><![CDATA[x]]]]><![CDATA[>y]]></a></xml>')
  })

  test('refuses what would not parse back, saying why', () => {
    const cases: Array<[() => string, string]> = [
      [() => buildXml({}, '1root'), 'invalid root name: 1root'],
      [() => buildXml({ 'a b': '1' }), 'invalid field name: a b'],
      [() => buildXml({ a: 'x\u0001' }), 'character not allowed in field a'],
      [() => buildXml({ a: '\uFFFE' }), 'character not allowed in field a'],
    ]
    for (const [build, message] of cases) {
      assert.throws(build, (error: unknown) => error instanceof XmlError && error.code === 'XML_MALFORMED' && error.message === message, message)
    }
  })
})
