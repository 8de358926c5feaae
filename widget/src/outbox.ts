// The outbox: every report (and "I'm affected too") is written to localStorage before it is sent
// and stays there until the server answers 2xx. Failed sends are retried with backoff, when the
// browser comes back online and on the next page load. The idempotency key is made once, here in
// the browser, so however often an item is retried the server stores it once. A screenshot travels
// with its report in the same request (multipart); while queued it waits in IndexedDB (the lazily
// loaded attach chunk), under the item's key, and is deleted when the item is.
import type { AttachChunk, Delivery } from './types.js'
import type * as Storage from './storage.js'

interface Item {
  k: string // idempotency key
  p: string // API path
  b: object // JSON body
  t: number // created at (ms)
  n: number // failed attempts so far
  w: number // not before (ms)
  a?: 1 // has a screenshot
}

const MAX_AGE = 7 * 864e5 // give up on items nobody could deliver in a week
const MAX_DELAY = 5 * 60e3

export interface Outbox {
  enqueue(path: string, body: Record<string, unknown>, image?: Blob): Promise<Delivery>
  flush(force?: boolean): void
}

/** Storage helpers come from the loader (this runs in the dialog chunk; one copy of them is enough). */
export function createOutbox(
  base: string,
  key: string,
  onSettled: (d: Delivery) => void,
  attach: () => Promise<AttachChunk>,
  load: typeof Storage.load,
  save: typeof Storage.save,
  randomId: typeof Storage.randomId,
): Outbox {
  const name = 'outbox:' + key
  let memory: Item[] = [] // used when localStorage is unavailable
  const inFlight = new Set<string>()
  let timer: ReturnType<typeof setTimeout> | undefined

  const read = (): Item[] => load(name, memory)
  const write = (items: Item[]) => {
    memory = items
    save(name, items)
  }
  const remove = ({ k, a }: Item) => {
    write(read().filter((i) => i.k !== k))
    if (a)
      attach().then(
        (c) => c.drop(k),
        () => {},
      )
  }

  function later(item: Item, retryAfter: string | null) {
    const items = read()
    const stored = items.find((i) => i.k === item.k)
    if (!stored) return // another tab delivered it meanwhile
    stored.n++
    const backoff = Math.min(MAX_DELAY, 2000 * 2 ** (stored.n - 1)) * (0.8 + Math.random() * 0.4)
    stored.w = Date.now() + Math.max(backoff, (Number(retryAfter) || 0) * 1000)
    write(items)
    schedule()
  }

  function schedule() {
    clearTimeout(timer)
    const next = Math.min(...read().map((i) => i.w))
    if (next < Infinity) timer = setTimeout(() => flush(), Math.max(0, next - Date.now()) + 50)
  }

  async function send(item: Item): Promise<Delivery> {
    const k = item.k
    inFlight.add(k)
    try {
      // A CORS "simple" request, as Plausible's tracker sends: no custom headers (key in the URL,
      // idempotency key in the body) and a text/plain or multipart body, so no preflight round
      // trip; keepalive lets a report sent as the page unloads still leave (64 KB cap: no image).
      const json = JSON.stringify({ ...item.b, idempotency_key: k })
      // With a screenshot, the attach chunk builds the multipart body (if it cannot load, this
      // throws and the item stays queued rather than going without its image).
      const body = item.a ? await (await attach()).multipart(k, json) : json
      const res = await fetch(`${base + item.p}?key=${key}`, {
        method: 'POST',
        keepalive: body == json && json.length < 6e4,
        body,
        signal: AbortSignal.timeout?.(20e3), // a black-holed connection must not block retries
        credentials: 'omit',
      })
      const data = await res.json().catch(() => ({}))
      if (res.ok) {
        remove(item)
        return { status: 'sent', key: k, data }
      }
      // Server trouble or rate limits are temporary: keep it. Anything else is a refusal.
      if (res.status >= 500 || res.status == 408 || res.status == 429) {
        later(item, res.headers.get('retry-after'))
        return { status: 'queued', key: k, offline: false }
      }
      remove(item)
      const error = data?.error || {}
      return {
        status: 'refused',
        key: k,
        code: error.code || 'http_' + res.status,
        message: error.message || res.statusText,
      }
    } catch {
      later(item, null)
      return { status: 'queued', key: k, offline: !navigator.onLine }
    } finally {
      inFlight.delete(k)
    }
  }

  async function flush(force?: boolean) {
    const now = Date.now()
    for (const item of read()) {
      if (inFlight.has(item.k)) continue
      if (now - item.t > MAX_AGE) remove(item)
      else if (force || item.w <= now) {
        const delivery = await send(item)
        if (delivery.status != 'queued') onSettled(delivery)
        else if (delivery.offline) break // no point trying the rest right now
      }
    }
    schedule()
  }

  addEventListener('online', () => flush(true))

  return {
    flush,
    async enqueue(p, b, image) {
      const k = randomId()
      const item: Item = { k, p, b: { ...b, idempotency_key: k }, t: Date.now(), n: 0, w: 0, a: image && 1 }
      // IndexedDB may refuse the image: then, if the report has to wait, say it waits only in this page.
      const lost =
        image &&
        !(await attach().then(
          (c) => c.keep(k, image),
          () => false,
        ))
      write([...read(), item])
      const d = await send(item)
      if (lost && d.status == 'queued') d.dropped = true
      return d
    },
  }
}
