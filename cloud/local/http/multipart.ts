import busboy from 'busboy'
import { Readable } from 'node:stream'
import { HttpError } from './body'

/** Parses a multipart/form-data body (how the SDK posts cloudPay calls) into named buffers. */
export function parseMultipart(contentType: string, body: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, Buffer>()
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { fieldSize: 1024 * 1024, fields: 50, files: 50 } })
    } catch (error) {
      reject(new HttpError(400, 'INVALID_MULTIPART', (error as Error).message))
      return
    }
    parser.on('field', (name, value) => fields.set(name, Buffer.from(value, 'utf8')))
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => fields.set(name, Buffer.concat(chunks)))
    })
    parser.on('close', () => resolve(fields))
    parser.on('error', (error) => reject(new HttpError(400, 'INVALID_MULTIPART', (error as Error).message)))
    Readable.from([body]).pipe(parser)
  })
}
