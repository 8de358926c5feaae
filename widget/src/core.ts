// The widget controller shared by the script-tag build and the ES module: options, public API,
// launcher, which incident/notice banners to show (their DOM: cards.ts), and the lazily loaded dialog
// (with the outbox) and screenshot tools.
import css from './loader.css?inline'
import type {
  AttachChunk,
  ChunkName,
  DialogApi,
  DialogChunk,
  EarshotApi,
  Delivery,
  Incident,
  Notice,
  User,
  WidgetEvent,
  WidgetOptions,
} from './types.js'
import { addStyle, deepActive, el, icon, ICON_REPORT } from './dom.js'
import { card, flashError } from './cards.js'
import type { Outbox } from './outbox.js'
import { startCapture, type Captured } from './capture.js'
import { builtIn, pickLocale } from './strings.js'
import { load, randomId, save } from './storage.js'

export function createWidget(
  loadChunk: (name: ChunkName, options: WidgetOptions, locale: string) => Promise<any>,
): EarshotApi {
  let o: WidgetOptions = {}
  let base = ''
  let locale = 'en'
  let started = false
  const listeners: Partial<Record<WidgetEvent, ((detail?: any) => void)[]>> = {}
  let user: User | undefined
  let custom: Record<string, unknown> = {}
  let outbox: Promise<Outbox> | undefined
  let chunk: Promise<DialogChunk> | undefined
  let captured: (() => Captured) | undefined
  let incidents: Incident[] = []
  let notice: Notice | undefined
  let noticesAvailable = true
  let lastIncidents = ''
  let dialog: Promise<DialogApi> | undefined
  let attachChunk: Promise<AttachChunk> | undefined
  let blocked = false // this page's origin is not allowed (or the key is wrong): no launcher, no form
  let isOpen = false
  let returnTo: HTMLElement | null = null
  let pendingOpen: { message?: string } | undefined
  let deliveredListener: ((key: string, d: Delivery) => void) | undefined
  // UI nodes (created once the body exists)
  let shadow: ShadowRoot | undefined
  let root: HTMLElement
  let host: HTMLElement
  let launcher: HTMLButtonElement
  let launcherLabel: HTMLSpanElement
  let banners: HTMLElement // the cards above the launcher (a live region of their own)

  let dark: MediaQueryList // created in start(): importing the module must work without a DOM (SSR)
  const t = (key: string): string => o.strings?.[key] ?? builtIn(locale)[key]

  function emit(type: WidgetEvent, detail?: unknown) {
    for (const fn of listeners[type] || [])
      try {
        fn(detail)
      } catch (error) {
        setTimeout(() => {
          throw error // the host's bug, reported to the host's console, never breaks ours
        })
      }
  }

  function reporterId(): string {
    let id = load('rid', '')
    if (!id) save('rid', (id = randomId()))
    return id
  }

  // Event details are the Delivery itself: { status, key, data? | offline? | code + message? }.
  function settled(d: Delivery) {
    if (d.status == 'refused') emit('error', d)
    deliveredListener?.(d.key, d)
  }

  const dialogChunk = (): Promise<DialogChunk> =>
    (chunk ||= loadChunk('dialog', o, locale).catch((error) => {
      chunk = undefined // try again on the next click
      throw error
    }))
  const box = () =>
    (outbox ||= dialogChunk().then((c) => c.outbox(base, o.key!, settled, attach, load, save, randomId)))

  const attach = (): Promise<AttachChunk> =>
    (attachChunk ||= loadChunk('attach', o, locale).catch((error) => {
      attachChunk = undefined // try again next time
      throw error
    }))

  async function send(path: string, body: Record<string, unknown>, image?: Blob): Promise<Delivery> {
    const d = await (await box()).enqueue(path, body, image)
    emit(d.status == 'refused' ? 'error' : 'submitted', d)
    // Once they said "this is my problem too", the banner asking it has done its job, and reopening says so.
    const incident = incidents.find((i) => path.includes(i.id))
    if (incident && d.status != 'refused') {
      incident.reporter_state = 'notified'
      dismiss(incident)
    }
    return d
  }

  // ---- UI -------------------------------------------------------------------------------------
  function applyOptions() {
    if (!shadow) return
    // "system" follows the OS setting live (one dark palette in CSS, switched here).
    const theme = o.theme == 'dark' || (o.theme == 'system' && dark.matches) ? ' dk' : ''
    // "bottom-left" → class "bl", "none" → "n"
    const position = o.position || (o.attach ? 'none' : 'bottom-right')
    root.className =
      'r ' +
      position
        .split('-')
        .map((w) => w[0])
        .join('') +
      theme
    launcherLabel.textContent = o.label || t('launcher')
    if (o.accent) host.style.setProperty('--earshot-accent', o.accent)
    renderBanners(true)
  }

  function mountUi() {
    host = document.createElement('earshot-widget')
    shadow = host.attachShadow({ mode: 'open' })
    addStyle(shadow, css, o.nonce)
    launcherLabel = el('span')
    launcher = el(
      'button',
      {
        class: 'l',
        type: 'button',
        'aria-haspopup': 'dialog',
        'aria-expanded': 'false',
        onclick: () => open(),
        onpointerenter: prefetch,
        onfocus: prefetch,
      },
      icon(ICON_REPORT),
      launcherLabel,
    )
    // Cards live in their own box: re-rendering them never moves (and unfocuses) the launcher.
    banners = el('div', { class: 'c', 'aria-live': 'polite' })
    root = el('div', {}, el('div', { class: 's' }, banners, launcher))
    shadow.append(root)
    document.body.append(host)
    // The launcher's box follows the visual viewport (see .r in loader.css) as it pans, zooms, resizes.
    const v = visualViewport
    const place = () =>
      v && (root.style.cssText = `left:${v.offsetLeft}px;top:${v.offsetTop}px;width:${v.width}px;height:${v.height}px`)
    for (const type of ['resize', 'scroll']) v?.addEventListener(type, place)
    place()
    applyOptions()
    if (pendingOpen) open(pendingOpen)
  }

  const version = (i: Incident) => i.latest_update?.id || i.updated_at
  /** Hide an incident's banner until its next update. */
  function dismiss(incident: Incident) {
    save('dismissed', { ...load('dismissed', {}), [incident.id]: version(incident) })
    renderBanners()
  }

  function renderBanners(force?: boolean) {
    if (!shadow) return
    const dismissed = load<Record<string, string>>('dismissed', {})
    const incident = incidents.find((i) => dismissed[i.id] != version(i))
    const signature = JSON.stringify([incident, notice, locale])
    if (!force && signature == lastIncidents) return
    lastIncidents = signature
    const cards: HTMLElement[] = []
    const refocus = () => launcher.offsetParent && launcher.focus()
    if (notice) {
      const n = notice
      // A responder's message to everyone affected (no resolved_at) is shown as written, never as "fixed".
      const body = n.resolved_at ? t('fixedBody').replace('{date}', formatDate(n.reported_at)) : n.message!
      cards.push(
        card('ok', t(n.resolved_at ? 'fixed' : 'update'), n.title || body, n.title && body, t('dismiss'), () => {
          notice = undefined
          renderBanners()
          refocus()
        }),
      )
    }
    if (incident) {
      const update = incident.latest_update
      cards.push(
        card(
          incident.impact,
          t('known'),
          incident.title,
          update?.message,
          t('dismiss'),
          () => {
            dismiss(incident)
            refocus()
          },
          t('affected'),
          () => open(),
        ),
      )
    }
    banners.replaceChildren(...cards)
  }

  const formatDate = (iso: string) => new Date(iso).toLocaleDateString(locale, { dateStyle: 'medium' })

  // ---- incidents and "fixed" notices ------------------------------------------------------------
  async function poll() {
    const key = encodeURIComponent(o.key!)
    const rid = load('rid', '')
    try {
      // cache: 'no-cache' makes the browser revalidate with If-None-Match from its own cache: a 304
      // costs a few bytes and, because we add no custom headers, never a CORS preflight. The
      // reporter id lets the server say which incidents already have this browser's report.
      const res = await fetch(`${base}/v1/incidents?key=${key}${rid && '&reporter_id=' + encodeURIComponent(rid)}`, {
        cache: 'no-cache',
        credentials: 'omit',
      })
      const data = await res.json()
      if (res.ok) {
        incidents = data.incidents || []
        renderBanners()
      } else if (res.status == 403 || res.status == 401) {
        // A setup mistake (origin not allowed, wrong key): everything the customer typed would be
        // refused, so there is no launcher and no form; the developer gets one line saying what to fix.
        blocked = true
        host?.remove()
        console.warn('Earshot: ' + data.error.message)
        return
      }
    } catch {}
    if (rid && noticesAvailable && !notice)
      try {
        const who = `?key=${key}&reporter_id=${encodeURIComponent(rid)}`
        const res = await fetch(`${base}/v1/notices${who}`, { credentials: 'omit' })
        if (res.status == 404)
          noticesAvailable = false // not deployed on this server (yet)
        else if (res.ok) {
          notice = ((await res.json()).notices || [])[0]
          if (notice) {
            renderBanners()
            // Shown once: tell the server, so it is not shown again on the next page.
            fetch(`${base}/v1/notices/${encodeURIComponent(notice.id)}/seen${who}`, {
              method: 'POST',
              credentials: 'omit',
            }).catch(() => {})
          }
        }
      } catch {}
  }

  // ---- the dialog ---------------------------------------------------------------------------------
  function getDialog(): Promise<DialogApi> {
    return (dialog ||= dialogChunk().then(
      (c) =>
        c.mount({
          root,
          lang: locale,
          t,
          el,
          icon,
          addCss: (text) => addStyle(shadow!, text, o.nonce),
          cats: o.categories,
          active: () => incidents.filter((i) => i.status != 'resolved'),
          who: () => user,
          parts: () => ({
            release: o.release,
            locale: navigator.language || locale,
            reporterId: reporterId(),
            user,
            custom,
            captured: captured?.(),
          }),
          post: send,
          shots: attach,
          requestClose: close,
          set onDelivered(fn: ((key: string, d: Delivery) => void) | undefined) {
            deliveredListener = fn
          },
        }),
      (error) => {
        dialog = undefined // try again on the next click
        throw error
      },
    ))
  }

  function prefetch() {
    getDialog().catch(() => {})
  }

  function open(options?: { message?: string }, opener?: HTMLElement | null) {
    if (blocked) return
    if (!shadow) {
      pendingOpen = options || {}
      return
    }
    pendingOpen = undefined
    if (!isOpen) returnTo = opener || deepActive()
    launcher.setAttribute('aria-expanded', 'true')
    getDialog().then(
      (d) => {
        d.open(options)
        if (!isOpen) emit('open')
        isOpen = true
      },
      () => {
        launcher.setAttribute('aria-expanded', 'false')
        flashError(banners, t('loadFailed'), t('dismiss'))
        emit('error', { status: 'refused', code: 'load_failed', message: t('loadFailed') })
      },
    )
  }

  function close() {
    if (!isOpen) return
    isOpen = false
    dialog?.then((d) => d.close())
    launcher.setAttribute('aria-expanded', 'false')
    const target = returnTo?.isConnected && returnTo != document.body ? returnTo : launcher
    target.focus()
    emit('close')
  }

  function start() {
    started = true
    dark = matchMedia('(prefers-color-scheme: dark)')
    dark.onchange = applyOptions
    base = (o.api || '').replace(/\/+$/, '')
    locale = pickLocale(o.locale)
    if (o.capture == 'errors') captured = startCapture((url) => new URL(url, location.href).href.startsWith(base + '/'))
    // Reports saved on an earlier visit: fetch the outbox (dialog chunk) and send them.
    if (load<unknown[]>('outbox:' + o.key, []).length)
      box().then(
        (b) => b.flush(true),
        () => {},
      )
    if (o.attach)
      document.addEventListener('click', (e) => {
        const opener = (e.target as Element)?.closest?.(o.attach!) as HTMLElement | null
        if (opener) {
          e.preventDefault()
          open(undefined, opener)
        }
      })
    // The launcher appears once the server has not refused this page (or cannot be reached: then
    // the outbox keeps reports until it can).
    poll().then(() => {
      if (blocked) return
      if (document.body) mountUi()
      else addEventListener('DOMContentLoaded', mountUi)
      const every = o.pollSeconds ?? 180
      if (every > 0)
        setInterval(() => {
          if (document.visibilityState == 'visible') poll()
        }, every * 1000)
    })
  }

  return {
    init(options) {
      o = { ...o, ...options, strings: { ...o.strings, ...options?.strings } }
      if (!started && o.key) start()
      else if (started) {
        locale = pickLocale(o.locale)
        applyOptions()
      }
    },
    open: (options) => open(options),
    close,
    identify(u) {
      user = u || undefined
    },
    setContext(context) {
      custom = context ? { ...custom, ...context } : {}
    },
    on(type, fn) {
      ;(listeners[type] ||= []).push(fn)
      return () => (listeners[type] = listeners[type]!.filter((f) => f != fn))
    },
  }
}
