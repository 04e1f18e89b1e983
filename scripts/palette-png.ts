// An indexed-colour PNG encoder for the tab bar icons: a one-colour glyph with anti-aliased
// edges has a few hundred distinct RGBA values at most, so one byte per pixel with a palette
// (PLTE) and its alphas (tRNS) is lossless and a third the size of Chromium's RGBA screenshot.
// PNG format: https://www.w3.org/TR/png-3/ (chunks, colour type 3, filter type 0 per row).
import { deflateSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/**
 * RGBA pixels (row by row, 4 bytes each) as a palette PNG, or null when they hold more than 256
 * colours (the caller keeps its RGBA file then). Fully transparent pixels share one entry.
 */
export function palettePng(width: number, height: number, rgba: Uint8Array): Buffer | null {
  if (rgba.length !== width * height * 4) throw new RangeError(`expected ${width * height * 4} bytes, got ${rgba.length}`)
  const index = new Map<number, number>()
  const colours: number[] = []
  const rows = Buffer.alloc(height * (width + 1))
  for (let y = 0; y < height; y++) {
    rows[y * (width + 1)] = 0 // filter: none
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4
      const alpha = rgba[p + 3]!
      const key = alpha === 0 ? 0 : ((rgba[p]! << 24) | (rgba[p + 1]! << 16) | (rgba[p + 2]! << 8) | alpha) >>> 0
      let i = index.get(key)
      if (i === undefined) {
        if (colours.length === 256) return null
        i = colours.length
        index.set(key, i)
        colours.push(key)
      }
      rows[y * (width + 1) + 1 + x] = i
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bits per palette index
  header[9] = 3 // colour type: indexed
  const palette = Buffer.from(colours.flatMap((c) => [c >>> 24, (c >>> 16) & 0xff, (c >>> 8) & 0xff]))
  const alphas = Buffer.from(colours.map((c) => c & 0xff))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('PLTE', palette),
    chunk('tRNS', alphas),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** For `page.evaluate` in Chromium: the RGBA pixels of a base64 PNG, read back through a canvas. */
export async function pixelsOf({ png, size }: { png: string; size: number }): Promise<number[]> {
  const image = new Image()
  image.src = `data:image/png;base64,${png}`
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = size
  canvas.height = size
  const context = canvas.getContext('2d')
  if (!context) throw new Error('no 2d canvas')
  context.drawImage(image, 0, 0)
  return Array.from(context.getImageData(0, 0, size, size).data)
}
