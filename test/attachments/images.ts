// Small real images for attachment tests (1×1 pixels) and files that only pretend to be images.
export const PNG_RED = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)
export const PNG_GREY = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
)
export const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////' +
    '////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
)
export const WEBP = Buffer.from('UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA=', 'base64')
export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>',
)
export const HTML = Buffer.from('<!doctype html><script>alert(1)</script>')

/** A report with a screenshot as the widget sends it: multipart with the JSON in `report`. */
export function multipartReport(
  report: unknown,
  image?: Buffer,
  type = 'image/png',
  name = 'screenshot.png',
): FormData {
  const form = new FormData()
  form.set('report', JSON.stringify(report))
  if (image) form.set('screenshot', new Blob([new Uint8Array(image)], { type }), name)
  return form
}
