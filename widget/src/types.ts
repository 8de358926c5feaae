// Public types of the widget: the options product teams pass and the events they can listen to.

export type Position = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left' | 'none'
export type Theme = 'light' | 'dark' | 'system'

export interface WidgetOptions {
  /** The project's public key (pk_…). Required. */
  key?: string
  /** Base URL of the Earshot API. Default: the origin the widget script was loaded from. */
  api?: string
  /** Where the floating launcher sits; "none" hides it (open it with `attach` or `Earshot.open()`). */
  position?: Position
  /** Text of the floating launcher button. */
  label?: string
  /** "en" or "zh-CN" (default: from navigator.language). */
  locale?: string
  theme?: Theme
  /** Accent colour, any CSS colour ("#0f766e"). */
  accent?: string
  /** The product's release/version, sent with every report. */
  release?: string
  /** CSS selector of the product's own button(s) that open the form. */
  attach?: string
  /** Nonce for the <style> element, on browsers without constructable stylesheets. */
  nonce?: string
  /** "errors" captures the last uncaught errors, console errors and failed requests. */
  capture?: 'errors' | 'none' | string
  /** Override any text by key (see the strings table in the README). */
  strings?: Record<string, string>
  /** Report categories offered in the form: value → label. */
  categories?: Record<string, string>
  /** How often to check for active incidents, in seconds (default 180; 0 disables polling). */
  pollSeconds?: number
}

export interface User {
  id: string
  email?: string
  name?: string
}

export type WidgetEvent = 'open' | 'close' | 'submitted' | 'error'

/** Result of handing something to the outbox: what the customer is told. */
export type Delivery =
  | { status: 'sent'; key: string; data: any }
  | { status: 'queued'; key: string; offline: boolean }
  | { status: 'refused'; key: string; code: string; message: string }

export interface IncidentUpdate {
  id: string
  status: string
  message: string
  created_at: string
}

export interface Incident {
  id: string
  title: string
  impact: string
  status: string
  started_at: string
  updated_at: string
  latest_update?: IncidentUpdate | null
}

export interface Notice {
  id: string
  incident_id: string
  title: string
  reported_at: string
  resolved_at: string
  message?: string
}

export interface ReportInput {
  message: string
  email?: string
  category?: string
}

/** What the lazily loaded dialog gets from the loader (helpers are shared so the chunk stays small). */
export interface DialogHost {
  root: HTMLElement
  locale: string
  /** A text by key: the product's override, else the loader's built-in text, else undefined. */
  t: (key: string) => string | undefined
  el: typeof import('./dom.js').el
  icon: typeof import('./dom.js').icon
  style: (css: string) => void
  categories?: Record<string, string>
  incidents: () => Incident[]
  user: () => User | undefined
  /** Everything a report carries besides what the customer typed. */
  parts: () => import('./payload.js').PayloadParts
  /** Hand a body to the outbox (POST path): resolves with what to tell the customer. */
  send: (path: string, body: Record<string, unknown>) => Promise<Delivery>
  /** Called by the dialog when it wants to close (Esc, close button, backdrop). */
  requestClose: () => void
  /** The dialog sets this to hear about queued items that were delivered later. */
  onDelivered?: (key: string, delivery: Delivery) => void
}

export interface DialogApi {
  open(opts?: { message?: string }): void
  close(): void
}

export type MountDialog = (host: DialogHost) => DialogApi
