// Script-tag entry (dist/public/widget.js). Reads data-* options from its own <script> tag,
// replays calls queued by the README snippet, installs window.Earshot and loads the dialog chunk
// from the same place the script came from on first open.
import { createWidget } from './core.js'
import type { ChunkName, EarshotApi, WidgetOptions } from './types.js'

// Set by widget/build.ts: { "dialog-en": "dialog-en.<hash>.js", "dialog-zh-CN": …, attach: … }
declare const CHUNKS: Record<string, string>

type Queued = { q?: [keyof EarshotApi, unknown[]][] }
const w = window as unknown as { Earshot?: EarshotApi & Queued } & Record<string, unknown>

const script = document.currentScript as HTMLScriptElement | null // set while a classic (async) script runs
const src = script?.src || location.href
const data = script?.dataset || {}

let policy: { createScriptURL(url: string): string } | undefined

/** Loads a lazy chunk (the dialog, the screenshot tools), which leaves its export on window.__earshot_<name>. */
function loadChunk(name: ChunkName, options: WidgetOptions, locale: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const tag = document.createElement('script')
    // The dialog comes in one chunk per language.
    const url = new URL('widget/' + CHUNKS[name == 'dialog' ? name + '-' + locale : name], src).href
    // Pages that enforce Trusted Types only accept script URLs from a named policy
    // ("trusted-types earshot" in their CSP); everywhere else this is a plain string.
    try {
      policy ||= (window as any).trustedTypes?.createPolicy('earshot', { createScriptURL: (u: string) => u })
    } catch {}
    tag.src = policy ? policy.createScriptURL(url) : url
    tag.async = true
    const nonce = script?.nonce || options.nonce
    if (nonce) tag.nonce = nonce
    tag.onload = () => (w['__earshot_' + name] ? resolve(w['__earshot_' + name]) : reject(new Error(name + ' missing')))
    tag.onerror = reject
    document.head.append(tag)
  })
}

if (!w.Earshot || w.Earshot.q) {
  const queued = w.Earshot?.q || []
  const api = createWidget(loadChunk)
  w.Earshot = api
  const fromTag: WidgetOptions = {
    // Default API base: the folder the script came from, so a reverse-proxy path on the product's
    // own domain (https://shop.example/earshot/widget.js) sends reports through that same path.
    api: data.api ? new URL(data.api, location.href).href : new URL('.', src).href,
    nonce: data.nonce || script?.nonce || undefined,
    pollSeconds: data.poll ? Number(data.poll) : undefined,
  }
  for (const name of ['key', 'position', 'label', 'locale', 'theme', 'accent', 'release', 'attach', 'capture'] as const)
    if (data[name]) (fromTag as Record<string, string>)[name] = data[name]!
  // Queued init() calls override data-* attributes; the first call with a key starts the widget.
  const inits = queued.filter(([name]) => name == 'init').map(([, args]) => args[0] as WidgetOptions)
  api.init(Object.assign(fromTag, ...inits))
  for (const [name, args] of queued) if (name != 'init') (api[name] as (...a: unknown[]) => void)(...args)
}
