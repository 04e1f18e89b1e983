// A strict parser for the flat XML of WeChat Pay APIv2, and its builder.
// No DTD, no entities beyond XML's five and character references, no nesting, no attributes,
// no duplicate fields: whatever is not plain `<xml><k>v</k>...</xml>` is refused.

export type XmlErrorCode =
  'XML_EMPTY' | 'XML_TOO_LARGE' | 'XML_DOCTYPE' | 'XML_MALFORMED' | 'XML_NESTED' | 'XML_DUPLICATE_FIELD' | 'XML_FORBIDDEN_FIELD' | 'XML_TOO_MANY_FIELDS'

export class XmlError extends Error {
  constructor(
    readonly code: XmlErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'XmlError'
  }
}

export interface ParseXmlOptions {
  /** Root element name; `xml` for APIv2, `root` inside a refund notification's req_info. */
  root?: string
  maxBytes?: number
  maxFields?: number
}

export const DEFAULT_MAX_XML_BYTES = 64 * 1024
const DEFAULT_MAX_FIELDS = 200
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype'])
// Characters XML 1.0 does not allow anywhere in a document.
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/
const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
])

export function isXmlName(name: string): boolean {
  return NAME.test(name) && !FORBIDDEN_NAMES.has(name)
}

/** Parse flat XML into a prototype-free record of strings. Throws XmlError. */
export function parseFlatXml(input: string, options: ParseXmlOptions = {}): Record<string, string> {
  const root = options.root ?? 'xml'
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES
  const maxFields = options.maxFields ?? DEFAULT_MAX_FIELDS
  // Stryker disable next-line ConditionalExpression,StringLiteral: a string never has fewer UTF-8 bytes than characters, so the length test is only a shortcut, and 'utf8' is byteLength's default
  if (input.length > maxBytes || Buffer.byteLength(input, 'utf8') > maxBytes) {
    throw new XmlError('XML_TOO_LARGE', `XML body over ${maxBytes} bytes`)
  }
  if (input.trim() === '') throw new XmlError('XML_EMPTY', 'empty XML body')
  if (INVALID_CHARS.test(input)) throw new XmlError('XML_MALFORMED', 'character not allowed in XML')

  const s = new Scanner(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input)
  s.skipProlog(true)
  s.expect(`<${root}`, `expected <${root}>`)
  const fields: Record<string, string> = Object.create(null)
  s.skipSpace()
  if (s.eat('/>')) {
    s.skipProlog(false)
    s.expectEnd()
    return fields
  }
  s.expect('>', `attributes are not allowed on <${root}>`)
  let count = 0
  for (;;) {
    s.skipProlog(false)
    if (s.eat('</')) break
    s.expect('<', 'text outside a field')
    const name = s.readName()
    if (FORBIDDEN_NAMES.has(name)) throw new XmlError('XML_FORBIDDEN_FIELD', `field name not allowed: ${name}`)
    if (Object.prototype.hasOwnProperty.call(fields, name)) {
      throw new XmlError('XML_DUPLICATE_FIELD', `duplicate field: ${name}`)
    }
    if (++count > maxFields) throw new XmlError('XML_TOO_MANY_FIELDS', `more than ${maxFields} fields`)
    s.skipSpace()
    if (s.eat('/>')) {
      fields[name] = ''
      continue
    }
    s.expect('>', `attributes are not allowed on <${name}>`)
    fields[name] = s.readContent()
    s.expect(`</${name}`, `unclosed <${name}>`)
    s.skipSpace()
    s.expect('>', `malformed </${name}>`)
  }
  s.expect(root, `mismatched closing tag for <${root}>`)
  s.skipSpace()
  s.expect('>', `malformed </${root}>`)
  s.skipProlog(false)
  s.expectEnd()
  return fields
}

class Scanner {
  private i = 0
  constructor(private readonly text: string) {}

  eat(token: string): boolean {
    if (!this.text.startsWith(token, this.i)) return false
    this.i += token.length
    return true
  }

  expect(token: string, message: string): void {
    if (!this.eat(token)) throw new XmlError('XML_MALFORMED', message)
  }

  expectEnd(): void {
    if (this.i !== this.text.length) throw new XmlError('XML_MALFORMED', 'content after the root element')
  }

  skipSpace(): void {
    while (this.i < this.text.length && ' \t\r\n'.includes(this.text.charAt(this.i))) this.i++
  }

  /** Whitespace and comments; the XML declaration only at the very start. */
  skipProlog(allowDeclaration: boolean): void {
    if (allowDeclaration && this.text.startsWith('<?xml', this.i)) this.skipPast('?>')
    for (;;) {
      this.skipSpace()
      if (this.text.startsWith('<!--', this.i)) {
        this.skipPast('-->')
      } else if (this.text.startsWith('<!', this.i) && !this.text.startsWith('<![CDATA[', this.i)) {
        const doctype = this.text.slice(this.i, this.i + 9).toUpperCase() === '<!DOCTYPE'
        throw new XmlError(doctype ? 'XML_DOCTYPE' : 'XML_MALFORMED', doctype ? 'DOCTYPE is not allowed' : 'markup declaration not allowed')
      } else if (this.text.startsWith('<?', this.i)) {
        throw new XmlError('XML_MALFORMED', 'processing instruction not allowed')
      } else {
        return
      }
    }
  }

  readName(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.i, this.i + 80))
    if (!match || !NAME.test(match[0])) throw new XmlError('XML_MALFORMED', 'invalid field name')
    this.i += match[0].length
    return match[0]
  }

  /** Text, character references and CDATA sections up to the closing tag. */
  readContent(): string {
    let out = ''
    for (;;) {
      // Stryker disable next-line EqualityOperator: at the end charAt gives '' and the next turn throws the same error, so > ends like >=
      if (this.i >= this.text.length) throw new XmlError('XML_MALFORMED', 'unexpected end of XML')
      if (this.text.startsWith('<![CDATA[', this.i)) {
        const end = this.text.indexOf(']]>', this.i + 9)
        // Stryker disable next-line EqualityOperator: indexOf from i + 9 is never 0, so <= 0 is the same as < 0
        if (end < 0) throw new XmlError('XML_MALFORMED', 'unterminated CDATA section')
        out += this.text.slice(this.i + 9, end)
        this.i = end + 3
        continue
      }
      const ch = this.text.charAt(this.i)
      if (ch === '<') {
        if (this.text.startsWith('</', this.i)) return out
        if (this.text.startsWith('<!--', this.i)) {
          this.skipPast('-->')
          continue
        }
        throw new XmlError(this.text.startsWith('<!', this.i) ? 'XML_DOCTYPE' : 'XML_NESTED', 'nested markup inside a field')
      }
      if (ch === '&') {
        out += this.readReference()
        continue
      }
      out += ch
      this.i++
    }
  }

  private readReference(): string {
    const end = this.text.indexOf(';', this.i)
    // Stryker disable next-line EqualityOperator: text[i] is the '&', never the ';', so end >= i is the same as end > i (the <= 10 bound is tested)
    const body = end > this.i && end - this.i <= 10 ? this.text.slice(this.i + 1, end) : ''
    let value = NAMED_ENTITIES.get(body)
    // Stryker disable next-line ConditionalExpression: no named entity starts with #, so the pattern alone already skips them; value === undefined only says so
    if (value === undefined && /^#(x[0-9A-Fa-f]{1,6}|[0-9]{1,7})$/.test(body)) {
      const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10)
      if (code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) {
        const char = String.fromCodePoint(code)
        if (!INVALID_CHARS.test(char)) value = char
      }
    }
    // Stryker disable next-line MethodExpression: body is at most 9 characters (end - i <= 10 above); slice only keeps the log line short if that changes
    if (value === undefined) throw new XmlError('XML_MALFORMED', `unknown entity reference &${body.slice(0, 10)};`)
    this.i = end + 1
    return value
  }

  private skipPast(token: string): void {
    const end = this.text.indexOf(token, this.i)
    // Stryker disable next-line EqualityOperator: i is at '<?xml' or '<!--', where neither token starts, so indexOf never answers 0 and <= 0 is the same as < 0
    if (end < 0) throw new XmlError('XML_MALFORMED', `missing ${token}`)
    this.i = end + token.length
  }
}

/** `<root><k><![CDATA[v]]></k>...</root>` in the record's key order; undefined values are left out. */
export function buildXml(fields: Readonly<Record<string, string | number | undefined>>, root = 'xml'): string {
  if (!isXmlName(root)) throw new XmlError('XML_MALFORMED', `invalid root name: ${root}`)
  let out = `<${root}>`
  for (const [name, raw] of Object.entries(fields)) {
    if (raw === undefined) continue
    if (!isXmlName(name)) throw new XmlError('XML_MALFORMED', `invalid field name: ${name}`)
    const value = String(raw)
    if (INVALID_CHARS.test(value)) throw new XmlError('XML_MALFORMED', `character not allowed in field ${name}`)
    out += `<${name}><![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]></${name}>`
  }
  return `${out}</${root}>`
}
