import { fullTime } from '../../../components/ui'
import { duration, type Learning } from '../client'

/** What the incident taught: time to acknowledge, to declare, to resolve, and who was told. */
export function LearningCard({ l }: { l: Learning }) {
  const since = (iso: string | null) =>
    iso && l.first_report_at ? duration(Date.parse(iso) - Date.parse(l.first_report_at)) : '—'
  return (
    <section class="card" aria-labelledby="learning-title">
      <div class="card-head">
        <h2 id="learning-title">Learning</h2>
      </div>
      <div class="grid-4" style={{ borderBottom: '1px solid var(--border)' }}>
        <div class="stat">
          <div class="label">Time to detect</div>
          <div class="value">{duration(l.time_to_detect_ms)}</div>
        </div>
        <div class="stat">
          <div class="label">To first public update</div>
          <div class="value">{duration(l.time_to_first_update_ms)}</div>
        </div>
        <div class="stat">
          <div class="label">Customer impact</div>
          <div class="value">{l.resolved_at ? duration(l.customer_impact_ms) : 'ongoing'}</div>
        </div>
        <div class="stat">
          <div class="label">Reports · reporters</div>
          <div class="value">
            {l.reports} · {l.reporters}
          </div>
        </div>
      </div>
      <div class="card-body">
        <dl class="kv">
          <dt>First report</dt>
          <dd>{l.first_report_at ? fullTime(l.first_report_at) : 'No customer report linked'}</dd>
          <dt>Declared</dt>
          <dd>
            {fullTime(l.declared_at)} <span class="faint">({since(l.declared_at)} after the first report)</span>
          </dd>
          <dt>First public update</dt>
          <dd>
            {l.first_public_update_at ? (
              <>
                {fullTime(l.first_public_update_at)} <span class="faint">({since(l.first_public_update_at)})</span>
              </>
            ) : (
              'Private incident: none'
            )}
          </dd>
          <dt>Resolved</dt>
          <dd>
            {l.resolved_at ? (
              <>
                {fullTime(l.resolved_at)} <span class="faint">({since(l.resolved_at)})</span>
              </>
            ) : (
              'Not yet'
            )}
          </dd>
          <dt>Releases</dt>
          <dd>
            {l.releases.length ? l.releases.map((r) => `${r.release} (${r.reports})`).join(', ') : 'None recorded'}
          </dd>
          <dt>“Me too”</dt>
          <dd>{l.affected_presses} pressed “I’m affected too”</dd>
        </dl>
      </div>
    </section>
  )
}
