import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { ShownComponentStatus } from '../../domain/incidents/index.js'
import { messagesFor, STATUS_LANGS, type Catalog, type StatusLang } from '../../domain/incidents/index.js'
import type { MaintenanceView } from '../../domain/incidents/index.js'
import type { DayBar, PublicIncidentView, StatusView } from '../../domain/incidents/index.js'
import { HISTORY_DAYS, utcDay } from '../../domain/incidents/index.js'
import type { Project } from '../../domain/projects/index.js'
import { STATUS_CSS } from './styles.js'

// Server-rendered status pages (hono/html escapes every interpolated value), in the visitor's
// language (domain/status/i18n). They work without JavaScript: times are written in UTC, and the
// one small script (local-time.js) only rewrites them into the visitor's time zone.

type Html = HtmlEscapedString | Promise<HtmlEscapedString>

/** Where the page's own links point: `/status/<slug>` on the app's host, `` at a status host's root. */
export interface Site {
  base: string
  /** Query string appended to feed links in the private view (`?token=…`), else ``. */
  tokenQuery: string
  isPrivate: boolean
  lang: StatusLang
  /** This page's path and query without `lang`, for the language switch (a GET page's own address). */
  here: string
}

const safeColor = (c: string) => (/^#[0-9a-f]{3,8}$/i.test(c) ? c : '#4f46e5')

/** A moment: UTC text without JavaScript (and in the title), the visitor's local time with it (local-time.js). */
const time = (t: Catalog, ms: number) => {
  const text = t.time(ms)
  return html`<time datetime="${new Date(ms).toISOString()}" title="${text}">${text}</time>`
}

/** A catalogue text with moments in it (`t.ongoingSince(MARK)`), each MARK replaced by its <time> element. */
const MARK = '\u0000'
function withTimes(text: string, t: Catalog, moments: number[]): Html {
  const parts = text.split(MARK)
  return html`${parts.map((p, n) => html`${p}${n < moments.length ? time(t, moments[n]!) : ''}`)}`
}

/** The banner's icons: one stroked 24×24 outline each. */
const svgIcon = (paths: string) =>
  raw(
    '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" ' +
      `stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${paths}</svg>`,
  )
const ICONS = {
  ok: svgIcon('<circle cx="12" cy="12" r="10"/><path d="m8 12.5 2.7 2.7L16.5 9.5"/>'),
  warn: svgIcon('<path d="M12 3 2 20h20L12 3z"/><path d="M12 10v4"/><path d="M12 17.5h.01"/>'),
  wrench: svgIcon(
    '<path d="M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18v3h3l6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.4-.6-.6-2.4 2.5-2.5z"/>',
  ),
}

const initialOf = (name: string) => [...name.trim()][0]?.toUpperCase() ?? '?'

/** The project's colour mark (its initial on its colour) as an SVG data URL: a favicon without a request. */
export function faviconHref(name: string, color: string): string {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' +
    `<rect width="64" height="64" rx="14" fill="${safeColor(color)}"/>` +
    '<text x="32" y="44" font-family="Arial,sans-serif" font-size="36" font-weight="700" fill="#fff" ' +
    `text-anchor="middle">${initialOf(name).replace(/[<>&"']/g, '')}</text></svg>`
  return `data:image/svg+xml,${encodeURIComponent(svg)}`
}

/** Links to this page in the other languages (plain links: the choice is remembered in a cookie). */
function languageSwitch(site: Site, t: Catalog): Html {
  const sep = site.here.includes('?') ? '&' : '?'
  return html`<nav class="langs" aria-label="${t.language}">${STATUS_LANGS.filter((l) => l !== site.lang).map(
    (l) => html`<a href="${`${site.here}${sep}lang=${l}`}" hreflang="${l}" lang="${l}">${messagesFor(l).self}</a>`,
  )}</nav>`
}

export function layout(project: Project, site: Site, title: string, body: Html, opts: { feeds?: boolean } = {}): Html {
  const t = messagesFor(site.lang)
  return html`<!doctype html>
<html lang="${site.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title>
<meta name="description" content="${t.metaDescription(project.name)}">
<meta name="theme-color" content="${safeColor(project.color)}">
<link rel="icon" type="image/svg+xml" href="${faviconHref(project.name, project.color)}">
${site.isPrivate ? raw('<meta name="robots" content="noindex">') : ''}
${
  opts.feeds === false
    ? ''
    : html`<link rel="alternate" type="application/atom+xml" title="${t.feedTitle(project.name)} (Atom)"
href="${site.base}/feed.atom${site.tokenQuery}">
<link rel="alternate" type="application/rss+xml" title="${t.feedTitle(project.name)} (RSS)"
href="${site.base}/feed.rss${site.tokenQuery}">`
}
<style>${raw(STATUS_CSS)}:root{--brand:${raw(safeColor(project.color))}}</style>
<script src="${site.base}/local-time.js" defer></script>
</head>
<body>
<header class="top"><div class="wrap">
<a class="brand" href="${site.base || '/'}"><span class="logo"
aria-hidden="true">${initialOf(project.name)}</span><span>${project.name}</span></a>
<div class="actions">${languageSwitch(site, t)}<a class="btn" href="${site.base}/#subscribe">${t.subscribe}<span
class="wide">${t.subscribeWide}</span></a></div>
</div></header>
<main><div class="wrap">
${site.isPrivate ? html`<div class="private">${t.privateView(project.name)}</div>` : ''}
${body}
</div></main>
<footer><div class="wrap">${t.footerStatus(project.name)} · <a
href="${site.base}/feed.atom${site.tokenQuery}">Atom</a> · <a
href="${site.base}/feed.rss${site.tokenQuery}">RSS</a> · <a
href="${site.base}/api/v2/summary.json${site.tokenQuery}">JSON</a> · ${t.poweredBy}</div></footer>
</body>
</html>`
}

function banner(t: Catalog, view: StatusView): Html {
  const icon = view.indicator === 'none' ? ICONS.ok : view.indicator === 'maintenance' ? ICONS.wrench : ICONS.warn
  return html`<div class="banner b-${view.indicator}"
role="status">${icon}<div>${t.indicator[view.indicator]}<small>${t.updated} ${time(t, view.now)}</small></div></div>`
}

function updateItems(t: Catalog, updates: PublicIncidentView['updates']): Html {
  return html`<ol class="timeline">${updates.map(
    (u) =>
      html`<li class="s-${u.status}"><span class="label">${t.update[u.status]}</span> — <span
class="msg">${u.message}</span><div class="meta">${time(t, u.createdAt)}</div></li>`,
  )}</ol>`
}

function affects(t: Catalog, list: { name: string }[]): Html | string {
  return list.length ? html`<p class="affects">${t.affects(list.map((c) => c.name))}</p>` : ''
}

function activeIncident(t: Catalog, site: Site, i: PublicIncidentView): Html {
  return html`<article class="incident i-${i.impact}" id="${i.id}">
<h3><a class="t-${i.impact}" href="${site.base}/incidents/${i.id}">${i.title}</a></h3>
<div class="meta">${t.impactLine(t.impact[i.impact])} · ${t.started} ${time(t, i.createdAt)}</div>
${affects(t, i.components)}
${updateItems(t, i.updates)}
</article>`
}

function maintenanceCard(t: Catalog, m: MaintenanceView, now: number): Html {
  const state =
    m.phase === 'in_progress'
      ? t.inProgressEnds(t.duration(m.endsAt - now))
      : t.scheduledStarts(t.duration(m.startsAt - now))
  return html`<article class="incident i-maintenance" id="${m.id}">
<h3 class="t-maintenance">${m.title}</h3>
<div class="meta">${state} · ${time(t, m.startsAt)} – ${time(t, m.endsAt)}</div>
${affects(t, m.components)}
${m.message ? html`<p class="msg">${m.message}</p>` : ''}
</article>`
}

// Short class names: 90 bars per component add up.
const BAR_CLASS: Record<DayBar['status'], string> = {
  operational: 'b0',
  under_maintenance: 'bm',
  degraded_performance: 'b1',
  partial_outage: 'b2',
  major_outage: 'b3',
  no_data: 'bn',
}

/** A day's bar tooltip: the day, and "no data" or the incidents of that day. */
function barTitle(t: Catalog, d: DayBar): string {
  if (d.status === 'no_data') return `${t.day(d.day)}: ${t.noData}`
  return d.incidents.length ? `${t.day(d.day)}: ${d.incidents.map((i) => i.title).join('; ')}` : t.day(d.day)
}

function bars(t: Catalog, days: DayBar[]): Html {
  return html`<div class="bars" role="img" aria-label="${t.last90(HISTORY_DAYS)}">${days.map(
    (d) => html`<span class="${BAR_CLASS[d.status]}" title="${barTitle(t, d)}"></span>`,
  )}</div>`
}

function axis(t: Catalog, uptime: number): Html {
  return html`<div class="axis"><span class="d90">${t.daysAgo(HISTORY_DAYS)}</span><span
class="d30">${t.daysAgo(30)}</span><b>${t.uptime(uptime.toFixed(2))}</b><span>${t.today}</span></div>`
}

function componentsSection(t: Catalog, view: StatusView): Html {
  if (view.components.length === 0) {
    return html`<section aria-labelledby="h-components"><h2 id="h-components">${t.systemStatus}</h2><div
class="card"><div class="comp">
<span class="name">${view.project.name}</span><span class="state c-${worstShown(view)}"><span
class="dot d-${worstShown(view)}"></span>${t.component[worstShown(view)]}</span>
${bars(t, view.overall.days)}${axis(t, view.overall.uptime)}</div></div></section>`
  }
  return html`<section aria-labelledby="h-components"><h2 id="h-components">${t.components}</h2><div
class="card">${view.components.map(
    (c) => html`<div class="comp">
<span class="name">${c.name}</span><span class="state c-${c.shown}"><span
class="dot d-${c.shown}"></span>${t.component[c.shown]}</span>
${c.description ? html`<span class="desc">${c.description}</span>` : ''}
${bars(t, c.days)}${axis(t, c.uptime)}</div>`,
  )}</div></section>`
}

function worstShown(view: StatusView): ShownComponentStatus {
  const map = {
    none: 'operational',
    maintenance: 'under_maintenance',
    minor: 'degraded_performance',
    major: 'partial_outage',
    critical: 'major_outage',
  } as const
  return map[view.indicator]
}

function history(t: Catalog, site: Site, view: StatusView): Html {
  const DAY = 86_400_000
  const today = utcDay(view.now)
  const byDay = new Map<number, { title: string; href?: string; impact: string; text: string | Html; at: number }[]>()
  for (const i of view.history) {
    const day = utcDay(i.resolvedAt ?? i.createdAt)
    const last = i.updates[0]
    byDay.set(day, [
      ...(byDay.get(day) ?? []),
      {
        title: i.title,
        href: `${site.base}/incidents/${i.id}`,
        impact: i.impact,
        text: last?.message ?? '',
        at: i.resolvedAt ?? i.createdAt,
      },
    ])
  }
  for (const m of view.maintenances.completed) {
    const day = utcDay(m.endsAt)
    byDay.set(day, [
      ...(byDay.get(day) ?? []),
      {
        title: m.title,
        impact: 'maintenance',
        text: withTimes(t.completedMaintenance(MARK, MARK), t, [m.startsAt, m.endsAt]),
        at: m.endsAt,
      },
    ])
  }
  // The last week day by day (quiet days too, so "nothing happened" is visible), then older days
  // with something in them.
  const days = new Set<number>()
  for (let d = 0; d < 7; d++) days.add(today - d * DAY)
  for (const d of byDay.keys()) days.add(d)
  const ordered = [...days].sort((a, b) => b - a)
  return html`<section aria-labelledby="h-history"><h2 id="h-history">${t.pastIncidents(HISTORY_DAYS)}</h2><div
class="card">${ordered.map((d) => {
    const items = (byDay.get(d) ?? []).sort((a, b) => b.at - a.at)
    return html`<div class="day"><h4>${t.day(d)}</h4>${
      items.length
        ? items.map(
            (it) =>
              html`<div class="past">${
                it.href
                  ? html`<a class="t-${it.impact}"
href="${it.href}">${it.title}</a>`
                  : html`<strong class="t-${it.impact}">${it.title}</strong>`
              }<p
class="msg">${it.text}</p><div class="meta">${time(t, it.at)}</div></div>`,
          )
        : html`<p class="none">${t.noIncidents}</p>`
    }</div>`
  })}</div></section>`
}

/** "Only some components": a checkbox per component (none ticked = all of them). */
function componentChoice(t: Catalog, view: StatusView): Html {
  return html`<details><summary>${t.onlySome}</summary>${view.components.map(
    (c) => html`<label><input type="checkbox" name="component" value="${c.id}"> ${c.name}</label>`,
  )}</details>`
}

function subscribeSection(t: Catalog, site: Site, view: StatusView): Html {
  return html`<section id="subscribe" aria-labelledby="h-subscribe"><h2 id="h-subscribe">${t.getUpdates}</h2><div
class="card subscribe">
<p>${t.subscribeText(view.project.name)}</p>
<form method="post" action="${site.base}/subscribe">
<input type="email" name="email" required maxlength="320" placeholder="you@example.com" aria-label="${t.emailLabel}"
autocomplete="email">
<button class="btn" type="submit">${t.subscribe}</button>
${view.components.length ? componentChoice(t, view) : ''}
</form>
<div class="feeds"><a href="${site.base}/feed.atom${site.tokenQuery}">${t.atomFeed}</a><a
href="${site.base}/feed.rss${site.tokenQuery}">${t.rssFeed}</a><a
href="${site.base}/api/v2/summary.json${site.tokenQuery}">summary.json</a></div>
</div></section>`
}

export function statusPage(site: Site, view: StatusView): Html {
  const t = messagesFor(site.lang)
  const m = view.maintenances
  return layout(
    view.project,
    site,
    t.pageTitle(view.project.name),
    html`${banner(t, view)}
${
  view.active.length
    ? html`<section aria-labelledby="h-active"><h2 id="h-active">${t.activeIncidents}</h2><div
class="card">${view.active.map((i) => activeIncident(t, site, i))}</div></section>`
    : ''
}
${
  m.inProgress.length
    ? html`<section aria-labelledby="h-mnow"><h2 id="h-mnow">${t.maintenanceNow}</h2><div
class="card">${m.inProgress.map((x) => maintenanceCard(t, x, view.now))}</div></section>`
    : ''
}
${
  m.scheduled.length
    ? html`<section aria-labelledby="h-msched"><h2 id="h-msched">${t.maintenanceScheduled}</h2><div
class="card">${m.scheduled.map((x) => maintenanceCard(t, x, view.now))}</div></section>`
    : ''
}
${componentsSection(t, view)}
${history(t, site, view)}
${subscribeSection(t, site, view)}`,
  )
}

export function incidentPage(site: Site, project: Project, i: PublicIncidentView): Html {
  const t = messagesFor(site.lang)
  const state = i.resolvedAt
    ? withTimes(t.resolvedLasted(MARK, t.duration(i.resolvedAt - i.createdAt)), t, [i.resolvedAt])
    : withTimes(t.ongoingSince(MARK), t, [i.createdAt])
  return layout(
    project,
    site,
    `${i.title} · ${t.pageTitle(project.name)}`,
    html`<a class="back" href="${site.base || '/'}">${t.backToCurrent}</a>
<div class="card"><article class="incident i-${i.resolvedAt ? 'none' : i.impact}">
<h3 class="t-${i.impact}">${i.title}</h3>
<div class="meta">${t.impactLine(t.impact[i.impact])} · ${state}</div>
${affects(t, i.components)}
${updateItems(t, i.updates)}
</article></div>`,
  )
}

export function messagePage(
  project: Project,
  site: Site,
  heading: string,
  text: string,
  action?: { label: string; url: string; fields: Record<string, string> },
): Html {
  const t = messagesFor(site.lang)
  return layout(
    project,
    site,
    `${heading} · ${t.pageTitle(project.name)}`,
    html`<div class="card notice"><h1>${heading}</h1><p>${text}</p>${
      action
        ? html`<form method="post" action="${action.url}">${Object.entries(action.fields).map(
            ([k, v]) => html`<input
type="hidden" name="${k}" value="${v}">`,
          )}<button class="btn" type="submit">${action.label}</button></form>`
        : html`<a class="btn ghost" href="${site.base || '/'}">${t.backToPage}</a>`
    }</div>`,
    { feeds: false },
  )
}

/** Unknown status address (no such slug or host): a page for people, in their language, without a project. */
export function notFoundPage(lang: StatusLang, here: string): Html {
  const t = messagesFor(lang)
  const site: Site = { base: '', tokenQuery: '', isPrivate: false, lang, here }
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${t.noSuchStatusPage}</title>
<link rel="icon" type="image/svg+xml" href="${faviconHref('?', '#6b7280')}">
<style>${raw(STATUS_CSS)}:root{--brand:#6b7280}</style>
</head>
<body>
<header class="top"><div class="wrap"><span class="brand"><span class="logo" aria-hidden="true">?</span></span><div
class="actions">${languageSwitch(site, t)}</div></div></header>
<main><div class="wrap"><div
class="card notice"><h1>${t.noSuchStatusPage}</h1><p>${t.noSuchStatusPageText}</p></div></div></main>
<footer><div class="wrap">${t.poweredBy}</div></footer>
</body>
</html>`
}
