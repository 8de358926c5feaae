import type { StatusView } from '../../domain/status/page.js'

// Atom 1.0 and RSS 2.0 with one entry per public update (not one per incident), so a feed reader
// shows every step of an incident, as the subscribers' e-mails do.

const UPDATE_LABEL = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' } as const
/**
 * Text for XML 1.0: markup characters escaped, and every character XML forbids outright dropped
 * (C0 controls but tab/LF/CR, lone surrogates, U+FFFE, U+FFFF): one of them in an incident's text
 * makes the whole document ill-formed, and feed readers then reject the entire feed.
 */
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
const xml = (s: string) =>
  s.replace(XML_FORBIDDEN, '').replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch]!)

interface Entry {
  id: string
  title: string
  link: string
  at: number
  text: string
}

function entries(view: StatusView, pageUrl: string): Entry[] {
  const list: Entry[] = []
  for (const i of [...view.active, ...view.history]) {
    for (const u of i.updates) {
      list.push({ id: u.id, title: `${i.title} — ${UPDATE_LABEL[u.status]}`, link: `${pageUrl}/incidents/${i.id}`, at: u.createdAt, text: u.message })
    }
  }
  const m = view.maintenances
  for (const x of [...m.inProgress, ...m.scheduled, ...m.completed]) {
    const window = `${new Date(x.startsAt).toUTCString()} – ${new Date(x.endsAt).toUTCString()}`
    list.push({ id: x.id, title: `Scheduled maintenance: ${x.title}`, link: `${pageUrl}#${x.id}`, at: x.createdAt, text: [window, x.message].filter(Boolean).join('\n\n') })
  }
  return list.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).slice(0, 200)
}

const tagId = (pageUrl: string, id: string) => {
  const host = new URL(pageUrl).host.replace(/:\d+$/, '')
  return `tag:${host},2026:${id}`
}

export function atomFeed(view: StatusView, pageUrl: string, selfUrl: string): string {
  const list = entries(view, pageUrl)
  const updated = new Date(Math.max(view.updatedAt, ...list.map((e) => e.at))).toISOString()
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${xml(tagId(pageUrl, `status:${view.project.id}`))}</id>
<title>${xml(view.project.name)} status</title>
<updated>${updated}</updated>
<link rel="alternate" type="text/html" href="${xml(pageUrl)}"/>
<link rel="self" type="application/atom+xml" href="${xml(selfUrl)}"/>
<author><name>${xml(view.project.name)}</name></author>
${list
  .map(
    (e) => `<entry>
<id>${xml(tagId(pageUrl, e.id))}</id>
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

export function rssFeed(view: StatusView, pageUrl: string, selfUrl: string): string {
  const list = entries(view, pageUrl)
  const updated = new Date(Math.max(view.updatedAt, ...list.map((e) => e.at))).toUTCString()
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xml(view.project.name)} status</title>
<link>${xml(pageUrl)}</link>
<description>${xml(`Incidents and scheduled maintenance for ${view.project.name}`)}</description>
<atom:link href="${xml(selfUrl)}" rel="self" type="application/rss+xml"/>
<lastBuildDate>${updated}</lastBuildDate>
${list
  .map(
    (e) => `<item>
<title>${xml(e.title)}</title>
<link>${xml(e.link)}</link>
<guid isPermaLink="false">${xml(tagId(pageUrl, e.id))}</guid>
<pubDate>${new Date(e.at).toUTCString()}</pubDate>
<description>${xml(e.text)}</description>
</item>`,
  )
  .join('\n')}
</channel>
</rss>
`
}
