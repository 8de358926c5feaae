// A tiny History-API router: the dashboard has a dozen flat routes, which does not justify a library.
import type { AnchorHTMLAttributes, ComponentChildren, FunctionComponent } from 'preact'
import { useEffect, useState } from 'preact/hooks'

export const BASE = '/dashboard'

export interface RouteProps {
  params: Record<string, string>
  query: URLSearchParams
}

export interface RouteDef {
  /** Path under /dashboard, e.g. `/clusters/:id`. */
  path: string
  component: FunctionComponent<RouteProps>
  /** Shown without the app shell and without a session (sign-in, invitations). */
  public?: boolean
  /** Renders before the session is known (needs no workspace data): the triage pages. */
  early?: boolean
  /** Which sidebar entry to highlight. */
  nav?: string
}

const listeners = new Set<() => void>()
const notify = () => listeners.forEach((fn) => fn())
if (typeof window !== 'undefined') window.addEventListener('popstate', notify)

export function currentPath(): string {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname
  return p === '' ? '/' : p
}

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  const url = to.startsWith(BASE) ? to : BASE + to
  if (url === location.pathname + location.search) return
  history[opts.replace ? 'replaceState' : 'pushState'](null, '', url)
  notify()
  window.scrollTo(0, 0)
}

/** Re-renders when the location changes. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0)
  useEffect(() => {
    const fn = () => setTick((n) => n + 1)
    listeners.add(fn)
    return () => void listeners.delete(fn)
  }, [])
  return { path: currentPath(), query: new URLSearchParams(location.search) }
}

export function matchRoute(
  routes: RouteDef[],
  path: string,
): { route: RouteDef; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const want = route.path.split('/').filter(Boolean)
    const got = path.split('/').filter(Boolean)
    if (want.length !== got.length) continue
    const params: Record<string, string> = {}
    let ok = true
    for (let i = 0; i < want.length; i++) {
      if (want[i]!.startsWith(':')) params[want[i]!.slice(1)] = decodeURIComponent(got[i]!)
      else if (want[i] !== got[i]) ok = false
    }
    if (ok) return { route, params }
  }
  return undefined
}

/** An <a> that navigates without a reload (modifier clicks still open new tabs). */
export function Link(
  props: Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { href: string; children?: ComponentChildren },
) {
  const { href, onClick, ...rest } = props
  const full = href.startsWith(BASE) ? href : BASE + href
  return (
    <a
      {...(rest as Record<string, unknown>)}
      href={full}
      onClick={(e) => {
        ;(onClick as ((e: MouseEvent) => void) | undefined)?.(e)
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
        e.preventDefault()
        navigate(full)
      }}
    />
  )
}
