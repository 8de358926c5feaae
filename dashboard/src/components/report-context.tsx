// Everything the widget sent with one report, beside the customer's words: the category they
// picked, who the product said they are (identify()), what it added (setContext()), what broke in
// the page (console errors and failed requests) and the screen they were on. All of it is customer
// or host-page input: rendered as text only, never as markup or links.
import type { Report } from '../types'

/** The widget's built-in categories (widget/src/dialog/strings.ts); a host's own ones show as sent. */
export const CATEGORY_LABEL: Record<string, string> = {
  bug: 'Something’s broken',
  slow: 'It’s slow',
  looks: 'Looks wrong',
  other: 'Something else',
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined

/** A setContext() value as one line: strings as they are, anything else as compact JSON. */
function valueText(v: unknown): string {
  if (typeof v === 'string') return v
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}

export function categoryLabel(value: string | null | undefined): string | undefined {
  if (!value) return undefined
  return CATEGORY_LABEL[value] ?? value
}

export function ReportContext({ report: r }: { report: Report }) {
  const ctx = r.context ?? {}
  const errors = Array.isArray(ctx.errors) ? ctx.errors : []
  const network = Array.isArray(ctx.network) ? ctx.network : []
  const user = ctx.user && typeof ctx.user === 'object' ? ctx.user : {}
  const custom =
    ctx.custom && typeof ctx.custom === 'object' && !Array.isArray(ctx.custom)
      ? Object.entries(ctx.custom as Record<string, unknown>)
      : []
  const person: [string, string][] = []
  if (text(user.name)) person.push(['Name', text(user.name)!])
  if (text(user.id)) person.push(['User id', text(user.id)!])
  if (text(user.email)) person.push(['E-mail', text(user.email)!])
  // A typed address shows in the report's meta line; beside an identified user only when it differs.
  if (r.email && person.length && r.email !== user.email) person.push(['Reply to', r.email])
  const screen: [string, string][] = []
  if (text(ctx.viewport)) screen.push(['Viewport', text(ctx.viewport)!])
  if (text(ctx.timezone)) screen.push(['Time zone', text(ctx.timezone)!])
  if (text(ctx.referrer)) screen.push(['Came from', text(ctx.referrer)!])
  const category = categoryLabel(r.category)

  if (!category && !person.length && !custom.length && !errors.length && !network.length && !screen.length) return null
  return (
    <div class="report-context">
      {category || person.length ? (
        <div class="ctx-line">
          {category ? (
            <span class="chip ctx-category" title={r.category ?? ''}>
              {category}
            </span>
          ) : null}
          {person.length ? (
            <dl class="ctx-pairs" aria-label="Customer (identify)">
              {person.map(([k, v]) => (
                <div>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          ) : null}
        </div>
      ) : null}
      {errors.length || network.length ? (
        <div class="errors" aria-label="What went wrong in the page">
          {network.slice(0, 5).map((n) => (
            <div class="ctx-net">
              <span class="ctx-status">{text(n.status) ?? '—'}</span> {text(n.method) ?? 'GET'} {text(n.url) ?? ''}
            </div>
          ))}
          {network.length > 5 ? <div class="faint">+{network.length - 5} more failed requests</div> : null}
          {errors.slice(0, 3).map((e) => (
            <div>{String(e.message ?? '')}</div>
          ))}
          {errors.length > 3 ? <div class="faint">+{errors.length - 3} more errors</div> : null}
        </div>
      ) : null}
      {custom.length || screen.length ? (
        <dl class="ctx-pairs ctx-grid" aria-label="Context">
          {custom.slice(0, 20).map(([k, v]) => (
            <div>
              <dt>{k}</dt>
              <dd class="mono">{valueText(v)}</dd>
            </div>
          ))}
          {screen.map(([k, v]) => (
            <div>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </div>
  )
}
