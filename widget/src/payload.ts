// What a report carries besides the customer's words: where they were, who they are (if the
// product said so), and optionally what just went wrong in the page.
import type { ReportInput, User } from './types.js'
import type { Captured } from './capture.js'
import { normalizeRoute, sanitizeUrl } from './url.js'

export interface PayloadParts {
  release?: string
  locale: string
  reporterId: string
  user?: User
  custom: Record<string, unknown>
  captured?: Captured
}

export function buildReport(input: ReportInput, parts: PayloadParts) {
  const context: Record<string, unknown> = {
    referrer: document.referrer ? sanitizeUrl(document.referrer) : undefined,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    viewport: innerWidth + 'x' + innerHeight,
    user: parts.user,
    custom: Object.keys(parts.custom).length ? parts.custom : undefined,
    ...parts.captured,
  }
  return {
    message: input.message,
    email: input.email || undefined,
    category: input.category || undefined,
    page_url: sanitizeUrl(location.href),
    route: normalizeRoute(location.pathname),
    release: parts.release,
    locale: parts.locale,
    reporter_id: parts.reporterId,
    context,
  }
}
