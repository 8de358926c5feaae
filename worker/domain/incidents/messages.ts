import type { IncidentStatus } from '../../db/schema/index.js'
import type { Incident, IncidentUpdate } from './incidents.js'
import { projectSettings, type Project } from '../projects/index.js'
import { headerMap, headerText } from '../notifications/index.js'
import { messagesFor, projectStatusLang, supportedLang, type StatusLang } from './i18n/index.js'

// What subscribers and reporters receive. Built from the public fields only: an update's internal
// note is never passed in here, so it cannot reach any message.

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
}

export interface EmailContent {
  subject: string
  text: string
  html: string
  /** RFC 2369 / 8058 headers so mail clients offer one-click unsubscribe. */
  headers?: Record<string, string>
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

function emailHtml(
  project: Project,
  heading: string,
  paragraphs: string[],
  links: { label: string; href: string }[],
  footer?: string,
  lang: StatusLang = 'en',
) {
  const color = /^#[0-9a-f]{3,8}$/i.test(project.color) ? project.color : '#4f46e5'
  const bodyStyle =
    'margin:0;background:#f4f5f7;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2937'
  const cardStyle =
    'max-width:560px;margin:24px auto;background:#fff;border-radius:8px;overflow:hidden;border:1px solid #e5e7eb'
  const footStyle = 'padding:12px 24px;border-top:1px solid #e5e7eb;font-size:12px;color:#6b7280'
  const paragraph = (p: string) =>
    `<p style="line-height:1.5;margin:0 0 12px;white-space:pre-wrap">${escapeHtml(p)}</p>`
  const link = (l: { label: string; href: string }) =>
    `<p style="margin:16px 0 0"><a href="${escapeHtml(l.href)}" style="color:${color}">${escapeHtml(l.label)}</a></p>`
  return [
    `<!doctype html><html lang="${lang}"><body style="${bodyStyle}">`,
    `<div style="${cardStyle}">`,
    `<div style="background:${color};color:#fff;padding:16px 24px;font-weight:600">${escapeHtml(project.name)}</div>`,
    `<div style="padding:24px"><h1 style="font-size:18px;margin:0 0 12px">${escapeHtml(heading)}</h1>`,
    paragraphs.map(paragraph).join('\n'),
    links.map(link).join('\n'),
    `</div>${footer ? `<div style="${footStyle}">${footer}</div>` : ''}</div></body></html>`,
  ].join('\n')
}

/** Subscriber e-mails go in the language the address subscribed in (`subscribers.locale`). */
export function updateEmail(p: {
  project: Project
  incident: Incident
  update: IncidentUpdate
  pageUrl: string
  unsubscribeUrl: string
  lang?: StatusLang
}): EmailContent {
  const { project, incident, update, pageUrl, unsubscribeUrl } = p
  const t = messagesFor(p.lang ?? 'en')
  const label = t.update[update.status]
  const when = t.fullTime(update.createdAt)
  const incidentUrl = `${pageUrl}/incidents/${incident.id}`
  return {
    subject: headerText(`[${project.name}] ${t.pair(label, incident.title)}`),
    text:
      `${incident.title}\n${label} — ${when}\n\n${update.message}\n\n` +
      `${t.pair(t.mailFollow, incidentUrl)}\n\n${t.pair(t.mailUnsubscribe, unsubscribeUrl)}\n`,
    html: emailHtml(
      project,
      t.pair(label, incident.title),
      [update.message, when],
      [{ label: t.mailFollow, href: incidentUrl }],
      `${escapeHtml(t.mailSubscribedFooter(project.name))} ` +
        `<a href="${escapeHtml(unsubscribeUrl)}">${escapeHtml(t.mailUnsubscribe)}</a>`,
      p.lang,
    ),
    headers: headerMap({
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    }),
  }
}

export function maintenanceEmail(p: {
  project: Project
  title: string
  message: string
  startsAt: number
  endsAt: number
  pageUrl: string
  unsubscribeUrl: string
  lang?: StatusLang
}): EmailContent {
  const t = messagesFor(p.lang ?? 'en')
  const window = `${t.fullTime(p.startsAt)} – ${t.fullTime(p.endsAt)}`
  const heading = t.mailMaintenanceSubject(p.title)
  return {
    subject: headerText(`[${p.project.name}] ${heading}`),
    text:
      `${p.title}\n${t.pair(t.mailScheduled, window)}\n\n${p.message}\n\n` +
      `${t.pair(t.mailStatusPage, p.pageUrl)}\n\n${t.pair(t.mailUnsubscribe, p.unsubscribeUrl)}\n`,
    html: emailHtml(
      p.project,
      heading,
      [window, p.message].filter(Boolean),
      [{ label: t.mailStatusPage, href: p.pageUrl }],
      `<a href="${escapeHtml(p.unsubscribeUrl)}">${escapeHtml(t.mailUnsubscribe)}</a>`,
      p.lang,
    ),
    headers: headerMap({
      'List-Unsubscribe': `<${p.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    }),
  }
}

export function confirmEmail(p: { project: Project; confirmUrl: string; lang?: StatusLang }): EmailContent {
  const t = messagesFor(p.lang ?? 'en')
  return {
    subject: headerText(t.mailConfirmSubject(p.project.name)),
    text: `${t.mailConfirmAsked(p.project.name)}\n\n${t.pair(t.mailConfirm, p.confirmUrl)}\n\n${t.mailConfirmIgnore}\n`,
    html: emailHtml(
      p.project,
      t.confirmTitle,
      [t.mailConfirmAsked(p.project.name), t.mailConfirmIgnore],
      [{ label: t.confirmButton, href: p.confirmUrl }],
      undefined,
      p.lang,
    ),
  }
}

/**
 * To a customer who reported the problem (or pressed "notify me"), in `lang`: the language of
 * their report (see `reporterLang`). `heading` is already in that language.
 */
export function reporterEmail(p: {
  project: Project
  heading: string
  message: string
  pageUrl: string
  lang?: StatusLang
}): EmailContent {
  const t = messagesFor(p.lang ?? 'en')
  return {
    subject: headerText(`[${p.project.name}] ${p.heading}`),
    text: `${p.message}\n\n${t.pair(t.mailStatusPage, p.pageUrl)}\n\n${t.mailReporterFooter(p.project.name)}\n`,
    html: emailHtml(
      p.project,
      p.heading,
      [p.message],
      [{ label: t.mailStatusPage, href: p.pageUrl }],
      escapeHtml(t.mailReporterFooter(p.project.name)),
      p.lang,
    ),
  }
}

/**
 * The language to write to a reporter in: their report's locale when the status page speaks it,
 * else the project's status-page default, else English.
 */
export const reporterLang = (locale: string | null | undefined, project: Project): StatusLang =>
  supportedLang(locale) ?? projectStatusLang(projectSettings(project)) ?? 'en'
