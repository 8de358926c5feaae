import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { ApiError } from '../api'
import type { ClusterStatus, IncidentImpact, IncidentStatus, ReportSource } from '../types'
import { Icon } from './icons'

const CLUSTER_LABEL: Record<ClusterStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  muted: 'Muted',
  resolved: 'Resolved',
}
export const INCIDENT_LABEL: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
}
export const IMPACT_LABEL: Record<IncidentImpact, string> = {
  none: 'No impact',
  minor: 'Minor',
  major: 'Major',
  critical: 'Critical',
}
const SOURCE_LABEL: Record<ReportSource, string> = {
  widget: 'Widget',
  support: 'Support',
  api: 'Help desk API',
  affected: 'Affected',
}

export const ClusterStatusPill = ({ status }: { status: ClusterStatus }) => (
  <span class={`pill ${status}`}>{CLUSTER_LABEL[status] ?? status}</span>
)
export const IncidentStatusPill = ({ status }: { status: IncidentStatus }) => (
  <span class={`pill st-${status}`}>{INCIDENT_LABEL[status] ?? status}</span>
)
export const ImpactPill = ({ impact }: { impact: IncidentImpact }) => (
  <span class={`pill im-${impact}`}>{IMPACT_LABEL[impact] ?? impact}</span>
)
export const SourcePill = ({ source, channel }: { source: ReportSource; channel?: string | null }) => (
  <span class="pill plain source" title="Where this report came from">
    {SOURCE_LABEL[source] ?? source}
    {channel ? ` · ${channel}` : ''}
  </span>
)

/** "Your role can see this but not change it", instead of an error with a useless Retry. */
export function ReadOnlyNote({ children }: { children?: ComponentChildren }) {
  return (
    <div class="alert info read-only" role="note">
      <Icon name="lock" />
      <div class="grow">Read-only for your role. {children}</div>
    </div>
  )
}

/** The product mark: sidebar, sign-in and invitation pages. */
export function Brand() {
  return (
    <div class="brand">
      <span class="brand-mark">
        <Icon name="bolt" size={14} />
      </span>
      Earshot
    </div>
  )
}

export function EmptyState({
  icon = 'inbox',
  title,
  children,
}: {
  icon?: string
  title: string
  children?: ComponentChildren
}) {
  return (
    <div class="empty">
      <div class="icon">
        <Icon name={icon} size={22} />
      </div>
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
    </div>
  )
}

export function ErrorBanner({ error, onRetry }: { error?: ApiError | Error | string; onRetry?: () => void }) {
  if (!error) return null
  // A role that may not see or change something is not an error to retry: say so, calmly.
  if (typeof error !== 'string' && (error as ApiError).status === 403)
    return <ReadOnlyNote>{error.message}</ReadOnlyNote>
  const text = typeof error === 'string' ? error : error.message
  return (
    <div class="alert" role="alert">
      <Icon name="alert" />
      <div class="grow">{text}</div>
      {onRetry ? (
        <button class="small" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  )
}

export function Skeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div class="card" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} style={{ padding: '14px 16px', borderBottom: '1px solid var(--border)' }}>
          <div class="skeleton" style={{ width: `${40 + ((i * 17) % 45)}%`, marginBottom: '8px' }} />
          <div class="skeleton" style={{ width: '24%', height: '10px' }} />
        </div>
      ))}
    </div>
  )
}

const UNITS: [number, Intl.RelativeTimeFormatUnit][] = [
  [60, 'second'],
  [60, 'minute'],
  [24, 'hour'],
  [7, 'day'],
  [4.35, 'week'],
  [12, 'month'],
  [Infinity, 'year'],
]
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' })

export function relative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—'
  let delta = (new Date(iso).getTime() - now) / 1000
  if (Math.abs(delta) < 30) return 'just now'
  for (const [size, unit] of UNITS) {
    if (Math.abs(delta) < size) return rtf.format(Math.round(delta), unit)
    delta /= size
  }
  return iso
}

// One formatter for the whole app: toLocaleString() builds a new one on every call, which made
// rendering a list of 50 rows (two times each) measurably slow.
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
export const fullTime = (iso: string | null | undefined) => (iso ? FULL.format(new Date(iso)) : '—')

const NUM = new Intl.NumberFormat()
/** Thousands separators with one shared formatter (Number#toLocaleString builds one per call). */
export const num = (n: number) => NUM.format(n)

// One ticker re-renders every <Time> twice a minute, instead of a timer per element.
const tickers = new Set<() => void>()
setInterval(() => tickers.forEach((fn) => fn()), 30_000)

/** Relative time that stays fresh, with the exact time on hover. */
export function Time({ iso }: { iso: string | null | undefined }) {
  const [, tick] = useState(0)
  useEffect(() => {
    const fn = () => tick((n) => n + 1)
    tickers.add(fn)
    return () => void tickers.delete(fn)
  }, [])
  return (
    <time dateTime={iso ?? undefined} title={fullTime(iso)}>
      {relative(iso)}
    </time>
  )
}

/** Accessible modal: labelled, traps focus, Esc closes, focus returns to the opener. */
export function Modal({
  title,
  onClose,
  children,
  wide,
}: {
  title: string
  onClose: () => void
  children: ComponentChildren
  wide?: boolean
}) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null
    const el = ref.current!
    const first = el.querySelector<HTMLElement>('[autofocus], input, textarea, select, button:not(.close)')
    first?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault()
        onClose()
      }
      if (e.key !== 'Tab') return
      const items = [
        ...el.querySelectorAll<HTMLElement>('a[href], button:not(:disabled), input, textarea, select, [tabindex="0"]'),
      ]
      if (!items.length) return
      const [a, z] = [items[0]!, items[items.length - 1]!]
      if (e.shiftKey && document.activeElement === a) e.preventDefault(), z.focus()
      else if (!e.shiftKey && document.activeElement === z) e.preventDefault(), a.focus()
    }
    el.addEventListener('keydown', onKey)
    return () => {
      el.removeEventListener('keydown', onKey)
      opener?.focus?.()
    }
  }, [])
  return (
    <div class="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="dialog-title"
        ref={ref}
        style={wide ? { width: 'min(720px, 100%)' } : undefined}
      >
        <div class="dialog-head">
          <h2 id="dialog-title" class="grow">
            {title}
          </h2>
          <button class="ghost small close" aria-label="Close" onClick={onClose}>
            <Icon name="x" />
          </button>
        </div>
        <div class="dialog-body">{children}</div>
      </div>
    </div>
  )
}

// ---- toasts ----
type ToastAction = { label: string; run: () => unknown }
type ToastItem = { id: number; text: string; kind: 'ok' | 'error'; action?: ToastAction }
let toasts: ToastItem[] = []
const toastListeners = new Set<() => void>()
let nextToast = 1
/** A toast; one with an action (e.g. "Undo") stays longer and goes once its action ran. */
export function toast(text: string, kind: 'ok' | 'error' = 'ok', action?: ToastAction) {
  const item: ToastItem = { id: nextToast++, text, kind, action }
  toasts = [...toasts, item]
  toastListeners.forEach((f) => f())
  setTimeout(() => dropToast(item), action ? 30_000 : 4500)
}
function dropToast(item: ToastItem) {
  toasts = toasts.filter((t) => t !== item)
  toastListeners.forEach((f) => f())
}
export function Toasts() {
  const [, tick] = useState(0)
  useEffect(() => {
    const f = () => tick((n) => n + 1)
    toastListeners.add(f)
    return () => void toastListeners.delete(f)
  }, [])
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} class={`toast ${t.kind === 'error' ? 'error' : ''}`}>
          {t.text}
          {t.action ? (
            <button
              type="button"
              class="toast-action"
              onClick={() => {
                dropToast(t)
                void t.action!.run()
              }}
            >
              {t.action.label}
            </button>
          ) : null}
        </div>
      ))}
    </div>
  )
}

/** Runs an action, shows its error as a toast, and reports whether it worked. */
export async function attempt(fn: () => Promise<unknown>, success?: string): Promise<boolean> {
  try {
    await fn()
    if (success) toast(success)
    return true
  } catch (e) {
    toast((e as Error).message, 'error')
    return false
  }
}

/** A secret or one-time link shown once, with Copy and Done (API tokens, invitation links). */
export function SecretReveal({
  value,
  testId,
  onDone,
  children,
}: {
  value: string
  testId: string
  onDone: () => void
  children: ComponentChildren
}) {
  return (
    <div class="stack">
      {children}
      <div class="secret" data-testid={testId}>
        <span class="grow">{value}</span>
        <button class="small" onClick={() => navigator.clipboard?.writeText(value)}>
          Copy
        </button>
      </div>
      <div class="form-actions">
        <button class="primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  )
}
