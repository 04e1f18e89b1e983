// The two protobuf messages of wx-server-sdk's `cloud.openapi.*` wire format, read from
// wx-server-sdk 4.0.2 (`node_modules/wx-server-sdk/index.js`, module `src/protobuf/openapi.js`):
//
//   CommApiData     { 1 apiType: int32, 2 openapiData: OpenApiData, …, 6 appid: string }
//   OpenApiData     { 1 pairs: repeated KeyValuePair }
//   KeyValuePair    { 1 key: string, 2 value: bytes, 3 contenttype: string, 4 filename: string }
//   CommOpenApiResp { 1 respData: bytes, 2 contentType: string, 3 errorCode: int32, 4 httpCode: uint32 }
//
// Only what the emulator needs: decode the request, encode the answer. A hand-written codec
// instead of protobufjs, which the repository does not depend on directly.

export type ApiPair = { key: string; value: Buffer }
export type CommApiData = { apiType: number; pairs: ApiPair[]; appid: string }
export type CommOpenApiResp = { respData: Buffer; contentType: string; errorCode?: number; httpCode?: number }

export class ProtobufError extends Error {}

type Field = { no: number; wire: number; varint?: bigint; bytes?: Buffer }

function readVarint(buf: Buffer, at: number): { value: bigint; next: number } {
  let value = 0n
  let shift = 0n
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const byte = buf[i]!
    value |= BigInt(byte & 0x7f) << shift
    if ((byte & 0x80) === 0) return { value, next: i + 1 }
    shift += 7n
  }
  throw new ProtobufError('truncated varint')
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = []
  let at = 0
  while (at < buf.length) {
    const tag = readVarint(buf, at)
    at = tag.next
    const no = Number(tag.value >> 3n)
    const wire = Number(tag.value & 7n)
    if (wire === 0) {
      const v = readVarint(buf, at)
      out.push({ no, wire, varint: v.value })
      at = v.next
    } else if (wire === 2) {
      const len = readVarint(buf, at)
      const end = len.next + Number(len.value)
      if (end > buf.length) throw new ProtobufError('truncated field')
      out.push({ no, wire, bytes: buf.subarray(len.next, end) })
      at = end
    } else if (wire === 1 || wire === 5) {
      at += wire === 1 ? 8 : 4
      if (at > buf.length) throw new ProtobufError('truncated fixed field')
    } else {
      throw new ProtobufError(`unsupported wire type ${wire}`)
    }
  }
  return out
}

/** The request the SDK sends as `requestData` of action `wx.openApi`. */
export function decodeCommApiData(buf: Buffer): CommApiData {
  const result: CommApiData = { apiType: 0, pairs: [], appid: '' }
  for (const field of fields(buf)) {
    if (field.no === 1 && field.varint !== undefined) result.apiType = Number(BigInt.asIntN(32, field.varint))
    else if (field.no === 6 && field.bytes) result.appid = field.bytes.toString('utf8')
    else if (field.no === 2 && field.bytes) {
      for (const pairField of fields(field.bytes)) {
        if (pairField.no !== 1 || !pairField.bytes) continue
        let key = ''
        let value = Buffer.alloc(0)
        for (const part of fields(pairField.bytes)) {
          if (part.no === 1 && part.bytes) key = part.bytes.toString('utf8')
          else if (part.no === 2 && part.bytes) value = Buffer.from(part.bytes)
        }
        result.pairs.push({ key, value })
      }
    }
  }
  return result
}

function varint(value: bigint): Buffer {
  const bytes: number[] = []
  let v = BigInt.asUintN(64, value)
  do {
    let byte = Number(v & 0x7fn)
    v >>= 7n
    if (v !== 0n) byte |= 0x80
    bytes.push(byte)
  } while (v !== 0n)
  return Buffer.from(bytes)
}

const tag = (no: number, wire: number): Buffer => varint(BigInt((no << 3) | wire))
const lengthDelimited = (no: number, bytes: Buffer): Buffer => Buffer.concat([tag(no, 2), varint(BigInt(bytes.length)), bytes])

/** The answer the SDK decodes from an `application/octet-stream` reply (protobufjs `int32` encodes negatives as 10-byte varints). */
export function encodeCommOpenApiResp(resp: CommOpenApiResp): Buffer {
  const parts = [lengthDelimited(1, resp.respData), lengthDelimited(2, Buffer.from(resp.contentType, 'utf8'))]
  if (resp.errorCode) parts.push(tag(3, 0), varint(BigInt(resp.errorCode)))
  if (resp.httpCode) parts.push(tag(4, 0), varint(BigInt(resp.httpCode)))
  return Buffer.concat(parts)
}

/** For tests: the request the SDK would build (the inverse of `decodeCommApiData`). */
export function encodeCommApiData(data: CommApiData): Buffer {
  const pairs = data.pairs.map((pair) => lengthDelimited(1, Buffer.concat([lengthDelimited(1, Buffer.from(pair.key, 'utf8')), lengthDelimited(2, pair.value)])))
  return Buffer.concat([tag(1, 0), varint(BigInt(data.apiType)), lengthDelimited(2, Buffer.concat(pairs)), lengthDelimited(6, Buffer.from(data.appid, 'utf8'))])
}
