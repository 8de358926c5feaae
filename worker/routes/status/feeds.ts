import { messagesFor, type StatusLang } from '../../domain/incidents/index.js'
import type { StatusView } from '../../domain/incidents/index.js'

// Atom 1.0 and RSS 2.0 with one entry per public update (not one per incident), so a feed reader
// shows every step of an incident, as the subscribers' e-mails do. Labels in the reader's language
// (?lang= or Accept-Language); entry ids are the same in every language.
/**
 * Text for XML 1.0: markup characters escaped, and every character XML forbids outright dropped
 * (C0 controls but tab/LF/CR, lone surrogates, U+FFFE, U+FFFF): one of them in an incident's text
 * makes the whole document ill-formed, and feed readers then reject the entire feed.
 */
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
const xml = (s: string) =>
  s
    .replace(XML_FORBIDDEN, '')
    .replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch]!)

interface Entry {
  id: string
  title: string
  link: string
  at: number
  text: string
}

function entries(view: StatusView, pageUrl: string, lang: StatusLang): Entry[] {
  const t = messagesFor(lang)
  const list: Entry[] = []
  for (const i of [...view.active, ...view.history]) {
    for (const u of i.updates) {
      list.push({
        id: u.id,
        title: `${i.title} — ${t.update[u.status]}`,
        link: `${pageUrl}/incidents/${i.id}`,
        at: u.createdAt,
        text: u.message,
      })
    }
  }
  const m = view.maintenances
  for (const x of [...m.inProgress, ...m.scheduled, ...m.completed]) {
    const window = `${t.fullTime(x.startsAt)} – ${t.fullTime(x.endsAt)}`
    list.push({
      id: x.id,
      title: t.mailMaintenanceSubject(x.title),
      link: `${pageUrl}#${x.id}`,
      at: x.createdAt,
      text: [window, x.message].filter(Boolean).join('\n\n'),
    })
  }
  return list.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).slice(0, 200)
}

/**
 * Entry ids that stay the same for the life of an entry, whichever address the feed is read at
 * (`/status/<slug>`, `<slug>.<STATUS_DOMAIN>`, a custom domain set later): a name-based UUID
 * (version 5, RFC 9562) of the project id and the entry's own id — nothing from the request.
 */
const FEED_NAMESPACE = '5d7c3a52-8f0e-4b8e-9a53-2f6c1e0b7d41'

async function stableId(projectId: string, entryId: string): Promise<string> {
  const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
  const namespace = new Uint8Array(
    FEED_NAMESPACE.replace(/-/g, '')
      .match(/../g)!
      .map((h) => parseInt(h, 16)),
  )
  const name = new TextEncoder().encode(`${projectId}/${entryId}`)
  const input = new Uint8Array(namespace.length + name.length)
  input.set(namespace)
  input.set(name, namespace.length)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', input)).slice(0, 16)
  digest[6] = (digest[6]! & 0x0f) | 0x50 // version 5
  digest[8] = (digest[8]! & 0x3f) | 0x80 // RFC 4122 variant
  const h = hex(digest)
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * RSS readers treat <description> as HTML: the text is escaped as HTML first (paragraphs and line
 * breaks kept), then carried in CDATA, so "<script>" and "&" arrive as text, never as markup.
 * Escaped HTML holds no ">", so it can never close the CDATA section.
 */
function htmlDescription(text: string): string {
  const escaped = xml(text).replace(/&apos;/g, '&#39;')
  const paragraphs = escaped.split(/\n{2,}/).map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
  return `<![CDATA[${paragraphs.join('')}]]>`
}

export async function atomFeed(
  view: StatusView,
  pageUrl: string,
  selfUrl: string,
  lang: StatusLang = 'en',
): Promise<string> {
  const t = messagesFor(lang)
  const list = entries(view, pageUrl, lang)
  const ids = await Promise.all(list.map((e) => stableId(view.project.id, e.id)))
  const updated = new Date(Math.max(view.updatedAt, ...list.map((e) => e.at))).toISOString()
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">
<id>${await stableId(view.project.id, 'feed')}</id>
<title>${xml(t.feedTitle(view.project.name))}</title>
<updated>${updated}</updated>
<link rel="alternate" type="text/html" href="${xml(pageUrl)}"/>
<link rel="self" type="application/atom+xml" href="${xml(selfUrl)}"/>
<author><name>${xml(view.project.name)}</name></author>
${list
  .map(
    (e, n) => `<entry>
<id>${ids[n]}</id>
<title>${xml(e.title)}</title>
<updated>${new Date(e.at).toISOString()}</updated>
<published>${new Date(e.at).toISOString()}</published>
<link rel="alternate" type="text/html" href="${xml(e.link)}"/>
<content type="text">${xml(e.text)}</content>
</entry>`,
  )
  .join('\n')}
</feed>
`
}

export async function rssFeed(
  view: StatusView,
  pageUrl: string,
  selfUrl: string,
  lang: StatusLang = 'en',
): Promise<string> {
  const t = messagesFor(lang)
  const list = entries(view, pageUrl, lang)
  const ids = await Promise.all(list.map((e) => stableId(view.project.id, e.id)))
  const updated = new Date(Math.max(view.updatedAt, ...list.map((e) => e.at))).toUTCString()
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xml(t.feedTitle(view.project.name))}</title>
<link>${xml(pageUrl)}</link>
<description>${xml(t.feedDescription(view.project.name))}</description>
<language>${lang.toLowerCase()}</language>
<atom:link href="${xml(selfUrl)}" rel="self" type="application/rss+xml"/>
<lastBuildDate>${updated}</lastBuildDate>
${list
  .map(
    (e, n) => `<item>
<title>${xml(e.title)}</title>
<link>${xml(e.link)}</link>
<guid isPermaLink="false">${ids[n]}</guid>
<pubDate>${new Date(e.at).toUTCString()}</pubDate>
<description>${htmlDescription(e.text)}</description>
</item>`,
  )
  .join('\n')}
</channel>
</rss>
`
}
