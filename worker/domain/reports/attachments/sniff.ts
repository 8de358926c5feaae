// What an uploaded image really is, from its first bytes (never the type the client declared).
// Only raster formats a browser renders without running anything: PNG, JPEG, WebP. SVG (script
// inside an image), HTML, PDF and everything else is refused.
import type { AttachmentType } from '../../../db/schema/index.js'

export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x)

export function sniffImageType(bytes: Uint8Array): AttachmentType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  // RIFF <size> WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'
  return undefined
}
