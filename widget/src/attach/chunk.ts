// The screenshot tools (their own lazy chunk, ≤ 4 KB gzip): capture this tab or pick an image
// file, downscale it (longest side ≤ 1,920 px, ≤ 2 MB), let the customer draw boxes that
// highlight or black out a region, and keep a queued report's image in IndexedDB.
import css from './attach.css?inline'
import { attachStrings } from './strings.js'
import { drop, get, keep } from './idb.js'

// This page's copies of queued images (also when IndexedDB refused to keep them).
const images = new Map<string, Blob>()
import type { AttachChunk, AttachHost, Attachment } from '../types.js'

const MAX_SIDE = 1920
const MAX_BYTES = 2 * 1024 * 1024
const TYPES = ['image/png', 'image/jpeg', 'image/webp']

function create(host: AttachHost): Attachment {
  const { el } = host
  const own = attachStrings(host.lang)
  const t = (key: keyof typeof own) => host.t(key) ?? own[key]
  const node = el('fieldset', { class: 'f' })
  let canvas: HTMLCanvasElement | undefined
  let tool: 'mark' | 'hide' = 'mark'
  let problem = ''

  const file = el('input', { type: 'file', accept: TYPES.join(), onchange: () => useFile(file.files?.[0]) })
  const canCapture = !!navigator.mediaDevices?.getDisplayMedia && !matchMedia('(pointer:coarse)').matches

  /** Any image source → a canvas at most 1,920 px on its longest side. */
  function take(source: CanvasImageSource, w: number, h: number) {
    const scale = Math.min(1, MAX_SIDE / Math.max(w, h))
    canvas = el('canvas', { class: 'shot', 'aria-label': t('shotAlt'), role: 'img' })
    canvas.width = Math.round(w * scale)
    canvas.height = Math.round(h * scale)
    canvas.getContext('2d')!.drawImage(source, 0, 0, canvas.width, canvas.height)
    canvas.onpointerdown = box
    problem = ''
    draw()
  }

  async function useFile(f?: File) {
    file.value = ''
    if (!f) return
    if (!TYPES.includes(f.type)) return fail()
    try {
      const bitmap = await createImageBitmap(f)
      take(bitmap, bitmap.width, bitmap.height)
    } catch {
      fail()
    }
  }

  function fail() {
    problem = t('notImage')
    draw()
  }

  /** One frame of this tab; the stream is stopped at once and the form hidden while it is taken. */
  async function capture() {
    let stream: MediaStream | undefined
    // The form, the launcher and banners step aside first: the customer sees (and the browser
    // asks to share) the page itself. Set on the dialog itself: a modal dialog does not inherit it.
    const ours = host.root.querySelectorAll<HTMLElement>('dialog,.s')
    const hide = (v: string) => ours.forEach((e) => (e.style.visibility = v))
    try {
      hide('hidden')
      stream = await navigator.mediaDevices.getDisplayMedia({
        video: true,
        audio: false,
        preferCurrentTab: true,
      } as DisplayMediaStreamOptions)
      const video = el('video', { muted: true, playsinline: true })
      video.srcObject = stream
      await video.play()
      // One more frame if the page changes; a still page may send none (then the first one is it).
      await new Promise((ok) => (video.requestVideoFrameCallback?.(ok), setTimeout(ok, 200)))
      take(video, video.videoWidth, video.videoHeight)
    } catch {
      file.click() // refused or unavailable: the file picker instead
    } finally {
      stream?.getTracks().forEach((track) => track.stop())
      hide('')
    }
  }

  /** Drag a box: a coloured frame (highlight) or a solid black fill (black out), drawn into the image. */
  function box(down: PointerEvent) {
    const c = canvas!
    const ctx = c.getContext('2d')!
    const before = ctx.getImageData(0, 0, c.width, c.height)
    const at = (e: PointerEvent) => {
      const r = c.getBoundingClientRect()
      return [((e.clientX - r.left) * c.width) / r.width, ((e.clientY - r.top) * c.height) / r.height]
    }
    const [x0, y0] = at(down)
    const paint = (e: PointerEvent) => {
      const [x1, y1] = at(e)
      ctx.putImageData(before, 0, 0)
      const args = [Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0)] as const
      if (tool == 'hide') {
        ctx.fillStyle = '#000'
        ctx.fillRect(...args)
      } else {
        ctx.strokeStyle = '#f43f5e'
        ctx.lineWidth = Math.max(3, c.width / 320)
        ctx.strokeRect(...args)
      }
    }
    c.setPointerCapture(down.pointerId)
    c.onpointermove = paint
    c.onpointerup = (e) => {
      paint(e)
      c.onpointermove = c.onpointerup = null
    }
    down.preventDefault()
  }

  const button = (text: string, props: Record<string, any>) =>
    el('button', { type: 'button', class: 'btn sm', ...props }, text)

  function draw() {
    const kids: (Node | false)[] = canvas
      ? [
          canvas,
          el(
            'div',
            { class: 'tools' },
            ...(['mark', 'hide'] as const).map((name) =>
              button(t(name), {
                'aria-pressed': tool == name ? 'true' : 'false',
                onclick: () => ((tool = name), draw()),
              }),
            ),
            button(t('remove'), { class: 'btn sm rm', onclick: api.reset }),
          ),
          el('p', { class: 'hint' }, t('shotHint')),
        ]
      : [
          el(
            'div',
            { class: 'tools' },
            canCapture && button(t('capture'), { onclick: capture }),
            button(t('choose'), { onclick: () => file.click() }),
          ),
          !!problem && el('p', { class: 'err', role: 'alert' }, problem),
        ]
    node.replaceChildren(el('legend', {}, t('shot')), file, ...(kids.filter(Boolean) as Node[]))
  }

  const api: Attachment = {
    area: node,
    dropped: t('noStore'),
    begin: () => (canCapture ? capture() : file.click()),
    reset() {
      canvas = undefined
      draw()
    },
    /** PNG keeps text sharp; a photo-like screenshot over 2 MB becomes JPEG of falling quality. */
    async image() {
      if (!canvas) return
      for (const [type, quality] of [
        ['image/png'],
        ['image/jpeg', 0.85],
        ['image/jpeg', 0.7],
        ['image/jpeg', 0.5],
      ] as const) {
        const blob = await new Promise<Blob | null>((ok) => canvas!.toBlob(ok, type, quality))
        if (blob && blob.size <= MAX_BYTES) return blob
      }
    },
  }
  draw()
  return api
}

export const attachChunk: AttachChunk = {
  make(host) {
    // The dialog's shadow root takes the chunk's CSS once.
    const root = host.root.getRootNode() as ShadowRoot
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(css)
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
    return create(host)
  },
  keep(key, image) {
    images.set(key, image)
    return keep(key, image)
  },
  async multipart(key, json) {
    const image = images.get(key) || (await get(key))
    if (!image) return json // not kept on this device: the report goes without it
    const form = new FormData()
    form.set('report', json)
    form.set('screenshot', image)
    return form
  },
  drop(key) {
    images.delete(key)
    return drop(key)
  },
}
