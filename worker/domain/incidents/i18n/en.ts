// English texts of the status page, its e-mails and feeds. zh-CN.ts must have every key (the
// `Catalog` type makes a missing one a type error; test/status/i18n.test.ts checks it at run time).

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number) => String(n).padStart(2, '0')

export const en = {
  /** Name of the language in itself, for the switch. */
  self: 'English',
  /** A UTC calendar day ("Dec 4, 2026"). */
  day: (ms: number) => {
    const d = new Date(ms)
    return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`
  },
  /** A moment in UTC ("Dec 4, 06:23 UTC"); the no-JavaScript text, and the title after local-time.js. */
  time: (ms: number) => {
    const d = new Date(ms)
    return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`
  },
  /** "Label: value" — Chinese uses a full-width colon without a space ("标签：值"). */
  pair: (label: string, value: string) => `${label}: ${value}`,
  /** A full UTC date and time for e-mails ("Fri, 04 Dec 2026 06:23:00 GMT"). */
  fullTime: (ms: number) => new Date(ms).toUTCString(),
  duration: (ms: number) => {
    const m = Math.round(ms / 60_000)
    if (m < 60) return `${m} min`
    const h = Math.floor(m / 60)
    return h < 48 ? `${h} h ${m % 60} min` : `${Math.round(h / 24)} days`
  },
  indicator: {
    none: 'All Systems Operational',
    maintenance: 'Service Under Maintenance',
    minor: 'Minor Service Outage',
    major: 'Partial System Outage',
    critical: 'Major Service Outage',
  },
  component: {
    operational: 'Operational',
    degraded_performance: 'Degraded performance',
    partial_outage: 'Partial outage',
    major_outage: 'Major outage',
    under_maintenance: 'Under maintenance',
  },
  update: { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' },
  impact: { none: 'No impact', minor: 'Minor', major: 'Major', critical: 'Critical' },
  pageTitle: (name: string) => `${name} Status`,
  metaDescription: (name: string) => `Current status, incidents and scheduled maintenance for ${name}.`,
  feedTitle: (name: string) => `${name} status`,
  feedDescription: (name: string) => `Incidents and scheduled maintenance for ${name}`,
  subscribe: 'Subscribe',
  subscribeWide: ' to updates',
  language: 'Language',
  privateView: (name: string) =>
    `Private view: you can also see incidents that are shared only with ${name} customers.`,
  footerStatus: (name: string) => `${name} status`,
  poweredBy: 'Powered by Earshot',
  updated: 'Updated',
  affects: (names: string[]) => `This affects: ${names.join(', ')}`,
  impactLine: (impact: string) => `${impact} impact`,
  started: 'started',
  inProgressEnds: (d: string) => `In progress — ends in ${d}`,
  scheduledStarts: (d: string) => `Scheduled — starts in ${d}`,
  last90: (days: number) => `Status over the last ${days} days`,
  noData: 'no data',
  daysAgo: (days: number) => `${days} days ago`,
  uptime: (pct: string) => `${pct}% uptime`,
  today: 'Today',
  systemStatus: 'System status',
  components: 'Components',
  completedMaintenance: (from: string, to: string) => `Completed scheduled maintenance (${from} – ${to}).`,
  pastIncidents: (days: number) => `Past incidents — last ${days} days`,
  noIncidents: 'No incidents reported.',
  getUpdates: 'Get updates',
  subscribeText: (name: string) =>
    `Get an e-mail whenever ${name} creates, updates or resolves an incident. We send a confirmation link first.`,
  emailLabel: 'E-mail address',
  onlySome: 'Only some components (optional)',
  atomFeed: 'Atom feed',
  rssFeed: 'RSS feed',
  activeIncidents: 'Active incidents',
  maintenanceNow: 'Maintenance in progress',
  maintenanceScheduled: 'Scheduled maintenance',
  resolvedLasted: (at: string, lasted: string) => `Resolved ${at} · lasted ${lasted}`,
  ongoingSince: (at: string) => `Ongoing since ${at}`,
  backToCurrent: '← Current status',
  backToPage: 'Back to the status page',
  incidentNotFound: 'Incident not found',
  incidentNotFoundText: 'There is no incident at this address.',
  pageNotFound: 'Page not found',
  pageNotFoundText: 'There is no page at this address.',
  noSuchStatusPage: 'No such status page',
  noSuchStatusPageText: 'There is no status page at this address. Check the link you were given.',
  failed: 'That did not work',
  invalidEmail: 'Please enter a valid e-mail address.',
  unknownComponent: 'One of the chosen components does not exist.',
  queuedTitle: 'Subscription queued',
  queuedText: (email: string) =>
    `Your confirmation link for ${email} is queued: ` +
    'this status page cannot send e-mail yet (e-mail is not configured). It will be sent once it is.',
  checkInbox: 'Check your inbox',
  checkInboxText: (email: string) =>
    `We sent a confirmation link to ${email}. Nothing else is sent until you follow it.`,
  confirmTitle: 'Confirm your subscription',
  confirmText: (name: string) => `You will get an e-mail whenever ${name} posts an incident update.`,
  confirmButton: 'Confirm subscription',
  linkInvalid: 'Link not valid',
  confirmInvalid: 'This confirmation link is not valid any more. Subscribe again to get a new one.',
  subscribedTitle: 'You are subscribed',
  subscribedText: (target: string, name: string) =>
    `${target} will get ${name} incident updates. Every e-mail has an unsubscribe link.`,
  unsubscribeInvalid: 'This unsubscribe link is not valid.',
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeText: (name: string, target: string) => `Stop sending ${name} status updates to ${target}?`,
  unsubscribeButton: 'Unsubscribe',
  unsubscribedTitle: 'Unsubscribed',
  unsubscribedText: 'You will not get any more e-mails from this status page.',
  // E-mails
  mailFollow: 'Follow this incident',
  mailUnsubscribe: 'Unsubscribe',
  mailSubscribedFooter: (name: string) => `You subscribed to ${name} status updates.`,
  mailMaintenanceSubject: (title: string) => `Scheduled maintenance: ${title}`,
  mailScheduled: 'Scheduled',
  mailStatusPage: 'Status page',
  mailConfirmSubject: (name: string) => `Confirm your subscription to ${name} status updates`,
  mailConfirmAsked: (name: string) =>
    `Someone (hopefully you) asked to receive ${name} status updates at this address.`,
  mailConfirmIgnore: 'If it was not you, ignore this message: nothing will be sent.',
  mailConfirm: 'Confirm',
  // E-mails to customers who reported the problem (or pressed "notify me"), in their report's language
  mailFixedHeading: (title: string) => `Fixed: ${title}`,
  mailUpdateHeading: (title: string) => `Update: ${title}`,
  mailFixedText: (day: string) => `The problem you reported on ${day} has been fixed.`,
  mailReporterFooter: (name: string) => `You receive this because you reported a problem to ${name}.`,
  /** Stands in for a private incident's title, which never leaves the dashboard. */
  mailReportedProblem: 'The problem you reported',
}

export type Catalog = typeof en
