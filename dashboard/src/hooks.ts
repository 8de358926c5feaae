import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { ApiError, NotModified, etagOf } from './api'

export interface Async<T> {
  data?: T
  error?: ApiError
  loading: boolean
  reload(): Promise<void>
  setData(d: T): void
}

/** Loads data for a page and keeps the last good answer while reloading. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<ApiError>()
  const [loading, setLoading] = useState(true)
  const seq = useRef(0)
  const reload = useCallback(async () => {
    const mine = ++seq.current
    setLoading(true)
    try {
      const d = await load()
      if (mine === seq.current) {
        setData(d)
        setError(undefined)
      }
    } catch (e) {
      if (mine === seq.current) setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)))
    } finally {
      if (mine === seq.current) setLoading(false)
    }
  }, deps)
  useEffect(() => {
    void reload()
  }, [reload])
  return { data, error, loading, reload, setData }
}

/**
 * Polls with ETag: the server answers 304 when nothing changed, so polling every few seconds costs
 * almost nothing. Pauses while the tab is hidden. `live` reports whether the last poll got through.
 */
export function usePolling<T>(
  load: (etag?: string) => Promise<T>,
  deps: unknown[],
  intervalMs = 4000,
): Async<T> & { live: boolean } {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<ApiError>()
  const [loading, setLoading] = useState(true)
  const [live, setLive] = useState(true)
  const etag = useRef<string | undefined>(undefined)
  const seq = useRef(0)
  const poll = useCallback(async (fresh = false) => {
    const mine = seq.current
    try {
      const d = await load(fresh ? undefined : etag.current)
      if (mine !== seq.current) return
      etag.current = etagOf(d)
      setData(d)
      setError(undefined)
      setLive(true)
    } catch (e) {
      if (mine !== seq.current) return
      if (e instanceof NotModified) return setLive(true)
      setLive(false)
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)))
    } finally {
      if (mine === seq.current) setLoading(false)
    }
  }, deps)
  useEffect(() => {
    seq.current++
    etag.current = undefined
    setLoading(true)
    void poll(true)
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void poll()
    }, intervalMs)
    const onVisible = () => document.visibilityState === 'visible' && void poll()
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [poll])
  return { data, error, loading, live, reload: () => poll(true), setData }
}

/** Keyboard shortcuts that stay out of the way while typing in a field or when a dialog is open. */
export function useKeys(map: Record<string, (e: KeyboardEvent) => void>, deps: unknown[]) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey) return
      const t = e.target as HTMLElement | null
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return
      if (document.querySelector('.backdrop')) return
      // Enter on a focused link or button is that control's (the skip link, a toolbar button).
      if (e.key === 'Enter' && t && /^(A|BUTTON|SUMMARY)$/.test(t.tagName)) return
      const fn = map[e.key]
      if (fn) {
        e.preventDefault()
        fn(e)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, deps)
}

/**
 * A form's submit handler: stops the browser's own submit, clears the last error, runs `action`
 * and keeps its error message for an <ErrorBanner>; `busy` is true while it runs.
 */
export function useFormSubmit(action: () => Promise<unknown>): {
  error?: string
  busy: boolean
  submit(e?: Event): Promise<void>
} {
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  async function submit(e?: Event) {
    e?.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await action()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return { error, busy, submit }
}
