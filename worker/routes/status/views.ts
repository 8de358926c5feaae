import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { ShownComponentStatus } from '../../domain/status/components.js'
import type { MaintenanceView } from '../../domain/status/maintenance.js'
import type { DayBar, PublicIncidentView, StatusView } from '../../domain/status/page.js'
import { HISTORY_DAYS, utcDay } from '../../domain/status/page.js'
import type { Project } from '../../domain/projects.js'
import { STATUS_CSS } from './styles.js'

// Server-rendered status pages (hono/html escapes every interpolated value). No JavaScript: the
// page works in any browser, behind any blocker, and renders in one round trip.

type Html = HtmlEscapedString | Promise<HtmlEscapedString>

/** Where the page's own links point: `/status/<slug>` on the app's host, `` at a status host's root. */
export interface Site {
  base: string
  /** Query string appended to feed links in the private view (`?token=…`), else ``. */
  tokenQuery: string
  isPrivate: boolean
}

const COMPONENT_LABEL: Record<ShownComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
}
const UPDATE_LABEL = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' } as const
const IMPACT_LABEL = { none: 'No impact', minor: 'Minor', major: 'Major', critical: 'Critical' } as const

const safeColor = (c: string) => (/^#[0-9a-f]{3,8}$/i.test(c) ? c : '#4f46e5')

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number) => String(n).padStart(2, '0')
export const fmtDay = (ms: number) => {
  const d = new Date(ms)
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`
}
export const fmtTime = (ms: number) => {
  const d = new Date(ms)
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`
}
const time = (ms: number, text = fmtTime(ms)) => html`<time datetime="${new Date(ms).toISOString()}">${text}</time>`
const duration = (ms: number) => {
  const m = Math.round(ms / 60_000)
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.round(h / 24)} days`
}

const ICONS = {
  ok: raw('<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><circle cx="12" cy="12" r="10"/><path d="m8 12.5 2.7 2.7L16.5 9.5"/></svg>'),
  warn: raw('<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M12 3 2 20h20L12 3z"/><path d="M12 10v4"/><path d="M12 17.5h.01"/></svg>'),
  wrench: raw('<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18v3h3l6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.4-.6-.6-2.4 2.5-2.5z"/></svg>'),
}

export function layout(project: Project, site: Site, title: string, body: Html, opts: { feeds?: boolean } = {}): Html {
  const initial = [...project.name.trim()][0]?.toUpperCase() ?? '?'
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title>
<meta name="description" content="${`Current status, incidents and scheduled maintenance for ${project.name}.`}">
<meta name="theme-color" content="${safeColor(project.color)}">
${site.isPrivate ? raw('<meta name="robots" content="noindex">') : ''}
${opts.feeds === false ? '' : html`<link rel="alternate" type="application/atom+xml" title="${project.name} status (Atom)" href="${site.base}/feed.atom${site.tokenQuery}">
<link rel="alternate" type="application/rss+xml" title="${project.name} status (RSS)" href="${site.base}/feed.rss${site.tokenQuery}">`}
<style>${raw(STATUS_CSS)}:root{--brand:${raw(safeColor(project.color))}}</style>
</head>
<body>
<header class="top"><div class="wrap">
<a class="brand" href="${site.base || '/'}"><span class="logo" aria-hidden="true">${initial}</span><span>${project.name}</span></a>
<a class="btn" href="${site.base}/#subscribe">Subscribe<span class="wide"> to updates</span></a>
</div></header>
<main><div class="wrap">
${site.isPrivate ? html`<div class="private">Private view: you can also see incidents that are shared only with ${project.name} customers.</div>` : ''}
${body}
</div></main>
<footer><div class="wrap">${project.name} status · <a href="${site.base}/feed.atom${site.tokenQuery}">Atom</a> · <a href="${site.base}/feed.rss${site.tokenQuery}">RSS</a> · <a href="${site.base}/api/v2/summary.json${site.tokenQuery}">JSON</a> · Powered by Earshot</div></footer>
</body>
</html>`
}

function banner(view: StatusView): Html {
  const icon = view.indicator === 'none' ? ICONS.ok : view.indicator === 'maintenance' ? ICONS.wrench : ICONS.warn
  return html`<div class="banner b-${view.indicator}" role="status">${icon}<div>${view.description}<small>Updated ${time(view.now)}</small></div></div>`
}

function updateItems(updates: PublicIncidentView['updates']): Html {
  return html`<ol class="timeline">${updates.map(
    (u) => html`<li class="s-${u.status}"><span class="label">${UPDATE_LABEL[u.status]}</span> — <span class="msg">${u.message}</span><div class="meta">${time(u.createdAt)}</div></li>`,
  )}</ol>`
}

function affects(list: { name: string }[]): Html | string {
  return list.length ? html`<p class="affects">This affects: ${list.map((c) => c.name).join(', ')}</p>` : ''
}

function activeIncident(site: Site, i: PublicIncidentView): Html {
  return html`<article class="incident i-${i.impact}" id="${i.id}">
<h3><a class="t-${i.impact}" href="${site.base}/incidents/${i.id}">${i.title}</a></h3>
<div class="meta">${IMPACT_LABEL[i.impact]} impact · started ${time(i.createdAt)}</div>
${affects(i.components)}
${updateItems(i.updates)}
</article>`
}

function maintenanceCard(m: MaintenanceView, now: number): Html {
  const state = m.phase === 'in_progress' ? `In progress — ends in ${duration(m.endsAt - now)}` : `Scheduled — starts in ${duration(m.startsAt - now)}`
  return html`<article class="incident i-maintenance" id="${m.id}">
<h3 class="t-maintenance">${m.title}</h3>
<div class="meta">${state} · ${time(m.startsAt)} – ${time(m.endsAt)}</div>
${affects(m.components)}
${m.message ? html`<p class="msg">${m.message}</p>` : ''}
</article>`
}

// Short class names: 90 bars per component add up.
const BAR_CLASS: Record<DayBar['status'], string> = { operational: 'b0', under_maintenance: 'bm', degraded_performance: 'b1', partial_outage: 'b2', major_outage: 'b3', no_data: 'bn' }

function bars(days: DayBar[]): Html {
  return html`<div class="bars" role="img" aria-label="${`Status over the last ${HISTORY_DAYS} days`}">${days.map(
    (d) =>
      html`<span class="${BAR_CLASS[d.status]}" title="${d.status === 'no_data' ? `${fmtDay(d.day)}: no data` : d.incidents.length ? `${fmtDay(d.day)}: ${d.incidents.map((i) => i.title).join('; ')}` : fmtDay(d.day)}"></span>`,
  )}</div>`
}

function axis(uptime: number): Html {
  return html`<div class="axis"><span class="d90">${HISTORY_DAYS} days ago</span><span class="d30">30 days ago</span><b>${uptime.toFixed(2)}% uptime</b><span>Today</span></div>`
}

function componentsSection(view: StatusView): Html {
  if (view.components.length === 0) {
    return html`<section aria-labelledby="h-components"><h2 id="h-components">System status</h2><div class="card"><div class="comp">
<span class="name">${view.project.name}</span><span class="state c-${worstShown(view)}"><span class="dot d-${worstShown(view)}"></span>${COMPONENT_LABEL[worstShown(view)]}</span>
${bars(view.overall.days)}${axis(view.overall.uptime)}</div></div></section>`
  }
  return html`<section aria-labelledby="h-components"><h2 id="h-components">Components</h2><div class="card">${view.components.map(
    (c) => html`<div class="comp">
<span class="name">${c.name}</span><span class="state c-${c.shown}"><span class="dot d-${c.shown}"></span>${COMPONENT_LABEL[c.shown]}</span>
${c.description ? html`<span class="desc">${c.description}</span>` : ''}
${bars(c.days)}${axis(c.uptime)}</div>`,
  )}</div></section>`
}

function worstShown(view: StatusView): ShownComponentStatus {
  const map = { none: 'operational', maintenance: 'under_maintenance', minor: 'degraded_performance', major: 'partial_outage', critical: 'major_outage' } as const
  return map[view.indicator]
}

function history(site: Site, view: StatusView): Html {
  const DAY = 86_400_000
  const today = utcDay(view.now)
  const byDay = new Map<number, { title: string; href?: string; impact: string; text: string; at: number }[]>()
  for (const i of view.history) {
    const day = utcDay(i.resolvedAt ?? i.createdAt)
    const last = i.updates[0]
    byDay.set(day, [...(byDay.get(day) ?? []), { title: i.title, href: `${site.base}/incidents/${i.id}`, impact: i.impact, text: last?.message ?? '', at: i.resolvedAt ?? i.createdAt }])
  }
  for (const m of view.maintenances.completed) {
    const day = utcDay(m.endsAt)
    byDay.set(day, [...(byDay.get(day) ?? []), { title: m.title, impact: 'maintenance', text: `Completed scheduled maintenance (${fmtTime(m.startsAt)} – ${fmtTime(m.endsAt)}).`, at: m.endsAt }])
  }
  // The last week day by day (quiet days too, so "nothing happened" is visible), then older days with something in them.
  const days = new Set<number>()
  for (let d = 0; d < 7; d++) days.add(today - d * DAY)
  for (const d of byDay.keys()) days.add(d)
  const ordered = [...days].sort((a, b) => b - a)
  return html`<section aria-labelledby="h-history"><h2 id="h-history">Past incidents — last ${HISTORY_DAYS} days</h2><div class="card">${ordered.map((d) => {
    const items = (byDay.get(d) ?? []).sort((a, b) => b.at - a.at)
    return html`<div class="day"><h4>${fmtDay(d)}</h4>${
      items.length
        ? items.map(
            (it) =>
              html`<div class="past">${it.href ? html`<a class="t-${it.impact}" href="${it.href}">${it.title}</a>` : html`<strong class="t-${it.impact}">${it.title}</strong>`}<p class="msg">${it.text}</p><div class="meta">${time(it.at)}</div></div>`,
          )
        : html`<p class="none">No incidents reported.</p>`
    }</div>`
  })}</div></section>`
}

function subscribeSection(site: Site, view: StatusView): Html {
  return html`<section id="subscribe" aria-labelledby="h-subscribe"><h2 id="h-subscribe">Get updates</h2><div class="card subscribe">
<p>Get an e-mail whenever ${view.project.name} creates, updates or resolves an incident. We send a confirmation link first.</p>
<form method="post" action="${site.base}/subscribe">
<input type="email" name="email" required maxlength="320" placeholder="you@example.com" aria-label="E-mail address" autocomplete="email">
<button class="btn" type="submit">Subscribe</button>
${view.components.length ? html`<details><summary>Only some components (optional)</summary>${view.components.map((c) => html`<label><input type="checkbox" name="component" value="${c.id}"> ${c.name}</label>`)}</details>` : ''}
</form>
<div class="feeds"><a href="${site.base}/feed.atom${site.tokenQuery}">Atom feed</a><a href="${site.base}/feed.rss${site.tokenQuery}">RSS feed</a><a href="${site.base}/api/v2/summary.json${site.tokenQuery}">summary.json</a></div>
</div></section>`
}

export function statusPage(site: Site, view: StatusView): Html {
  const m = view.maintenances
  return layout(
    view.project,
    site,
    `${view.project.name} Status`,
    html`${banner(view)}
${view.active.length ? html`<section aria-labelledby="h-active"><h2 id="h-active">Active incidents</h2><div class="card">${view.active.map((i) => activeIncident(site, i))}</div></section>` : ''}
${m.inProgress.length ? html`<section aria-labelledby="h-mnow"><h2 id="h-mnow">Maintenance in progress</h2><div class="card">${m.inProgress.map((x) => maintenanceCard(x, view.now))}</div></section>` : ''}
${m.scheduled.length ? html`<section aria-labelledby="h-msched"><h2 id="h-msched">Scheduled maintenance</h2><div class="card">${m.scheduled.map((x) => maintenanceCard(x, view.now))}</div></section>` : ''}
${componentsSection(view)}
${history(site, view)}
${subscribeSection(site, view)}`,
  )
}

export function incidentPage(site: Site, project: Project, i: PublicIncidentView): Html {
  const state = i.resolvedAt ? `Resolved ${fmtTime(i.resolvedAt)} · lasted ${duration(i.resolvedAt - i.createdAt)}` : `Ongoing since ${fmtTime(i.createdAt)}`
  return layout(
    project,
    site,
    `${i.title} · ${project.name} Status`,
    html`<a class="back" href="${site.base || '/'}">← Current status</a>
<div class="card"><article class="incident i-${i.resolvedAt ? 'none' : i.impact}">
<h3 class="t-${i.impact}">${i.title}</h3>
<div class="meta">${IMPACT_LABEL[i.impact]} impact · ${state}</div>
${affects(i.components)}
${updateItems(i.updates)}
</article></div>`,
  )
}

export function messagePage(project: Project, site: Site, heading: string, text: string, action?: { label: string; url: string; fields: Record<string, string> }): Html {
  return layout(
    project,
    site,
    `${heading} · ${project.name} Status`,
    html`<div class="card notice"><h1>${heading}</h1><p>${text}</p>${
      action
        ? html`<form method="post" action="${action.url}">${Object.entries(action.fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<button class="btn" type="submit">${action.label}</button></form>`
        : html`<a class="btn ghost" href="${site.base || '/'}">Back to the status page</a>`
    }</div>`,
    { feeds: false },
  )
}
