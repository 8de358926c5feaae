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

/** What the widget offers its host page: `window.Earshot` and the npm package's functions. */
export interface EarshotApi {
  init(options: WidgetOptions): void
  open(options?: { message?: string }): void
  close(): void
  identify(user: User | null): void
  setContext(context: Record<string, unknown> | null): void
  on(event: WidgetEvent, listener: (detail?: any) => void): () => void
}

/** Result of handing something to the outbox: what the customer is told. */
export type Delivery = (
  | { status: 'sent'; key: string; data: any }
  | { status: 'queued'; key: string; offline: boolean }
  | { status: 'refused'; key: string; code: string; message: string }
) & {
  /**
   * The screenshot could not be stored on this device (IndexedDB refused): it is sent only while
   * this page stays open.
   */
  dropped?: boolean
}

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
  /** This browser's reporter: "notified" (said "notify me") or "reported" (a report of theirs is linked). */
  reporter_state?: 'notified' | 'reported' | null
}

export interface Notice {
  id: string
  incident_id: string
  title: string
  reported_at: string
  /** null for a responder's message to everyone affected (the incident may still be going on). */
  resolved_at: string | null
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
  lang: string
  /** A text by key: the product's override, else the loader's built-in text, else undefined. */
  t: (key: string) => string | undefined
  el: typeof import('./dom.js').el
  icon: typeof import('./dom.js').icon
  addCss: (css: string) => void
  cats?: Record<string, string>
  active: () => Incident[]
  who: () => User | undefined
  /** Everything a report carries besides what the customer typed. */
  parts: () => import('./payload.js').PayloadParts
  /** Hand a body (and a screenshot) to the outbox (POST path): resolves with what to tell the customer. */
  post: (path: string, body: Record<string, unknown>, image?: Blob) => Promise<Delivery>
  /** The lazily loaded screenshot chunk. */
  shots: () => Promise<AttachChunk>
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

/** The dialog chunk: the dialog and the outbox (widget/src/outbox.ts). */
export interface DialogChunk {
  mount: MountDialog
  outbox: typeof import('./outbox.js').createOutbox
}

/** What the dialog gives the screenshot chunk. */
export interface AttachHost {
  el: typeof import('./dom.js').el
  /** The product's override for a text, else undefined. */
  t: (key: string) => string | undefined
  lang: string
  /** Hidden while the tab is captured, so the frame shows the page, not the form. */
  root: HTMLElement
}

/** A screenshot being attached: the area in the form, and the image to send. */
export interface Attachment {
  area: HTMLElement
  /** Capture this tab where the browser can, else open the file picker. */
  begin(): void
  /** The image to send (downscaled, with the customer's boxes drawn in), or undefined. */
  image(): Promise<Blob | undefined>
  reset(): void
  /** What to add when a queued report's screenshot could not be stored on this device. */
  dropped: string
}

/** The screenshot chunk: UI plus the IndexedDB copy the offline queue keeps. */
export interface AttachChunk {
  make(host: AttachHost): Attachment
  /** Keeps a queued report's image (in this page, and in IndexedDB: false when that refused). */
  keep(key: string, image: Blob): Promise<boolean>
  /** The request body for a queued report: multipart with its image, or the JSON when the image is gone. */
  multipart(key: string, json: string): Promise<BodyInit>
  drop(key: string): Promise<void>
}

export type ChunkName = 'dialog' | 'attach'
