// Opt-in error capture (data-capture="errors"): the last 20 uncaught errors / console errors and
// the last 20 failed fetch/XHR requests. Everything here wraps the host's functions and calls
// through unchanged: same arguments, same return value, same promise, and our bookkeeping can
// never throw into the host's code.
import { withoutQuery } from './url.js'

export interface Captured {
  errors: { message: string; stack?: string; at: string }[]
  network: { method: string; url: string; status: number }[]
}

const LIMIT = 20

export function startCapture(isOwnRequest: (url: string) => boolean): () => Captured {
  const errors: Captured['errors'] = []
  const network: Captured['network'] = []
  const push = <T>(list: T[], item: T) => list.push(item) > LIMIT && list.shift()
  const text = (value: unknown) => String((value as Error)?.message ?? value).slice(0, 500)
  const error = (message: string, stack?: string) =>
    push(errors, { message, stack: stack?.slice(0, 2000), at: new Date().toISOString() })
  const request = (method: string, url: string, status: number) => {
    try {
      if (!isOwnRequest(url))
        push(network, { method: method.toUpperCase(), url: withoutQuery(url, location.href), status })
    } catch {}
  }

  addEventListener('error', (e) => e.message && error(e.message, e.error?.stack))
  addEventListener('unhandledrejection', (e) => error(text(e.reason), e.reason?.stack))

  const consoleError = console.error
  console.error = function (this: unknown, ...args: unknown[]) {
    try {
      error(args.map(text).join(' '), args.find((a): a is Error => a instanceof Error)?.stack)
    } catch {}
    return consoleError.apply(this, args)
  }

  const originalFetch = window.fetch
  if (originalFetch)
    window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      // biome-ignore lint/complexity/noArguments: forwards exactly what the page passed, however many arguments
      const promise = originalFetch.apply(this, arguments as any)
      try {
        const url = input instanceof Request ? input.url : String(input)
        const method = init?.method || (input instanceof Request ? input.method : 'GET')
        promise.then(
          (res) => res.status >= 400 && request(method, url, res.status),
          () => request(method, url, 0),
        )
      } catch {}
      return promise
    } as typeof fetch

  const xhr = XMLHttpRequest.prototype
  const open = xhr.open
  const opened = new WeakMap<XMLHttpRequest, [string, string]>()
  xhr.open = function (this: XMLHttpRequest, method: string, url: string | URL) {
    // One listener per request object (objects may be reused); it never changes the host's result.
    if (!opened.has(this))
      this.addEventListener('loadend', () => {
        const [m, u] = opened.get(this)!
        if (this.status >= 400 || (this.status == 0 && this.readyState == 4)) request(m, u, this.status)
      })
    opened.set(this, [method, String(url)])
    // open() takes 2 to 5 arguments: the page's own are passed on as they came.
    // biome-ignore lint/complexity/noArguments: forwarded exactly
    return open.apply(this, arguments as any)
  } as typeof xhr.open

  return () => ({ errors: errors.slice(), network: network.slice() })
}
