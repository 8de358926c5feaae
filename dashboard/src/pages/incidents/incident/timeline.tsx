import { fullTime, INCIDENT_LABEL, Time } from '../../../components/ui'
import type { IncidentDetail } from '../client'

/** The incident's public updates and internal notes, newest first. */
export function Timeline({ incident }: { incident: IncidentDetail }) {
  return (
    <section class="card" aria-labelledby="updates-title">
      <div class="card-head">
        <h2 id="updates-title">Updates</h2>
      </div>
      <div class="card-body">
        <ol class="timeline-list">
          {incident.updates.map((u) => (
            <li class={u.status}>
              <div class="row" style={{ marginBottom: '4px' }}>
                <strong style={{ fontSize: '13px' }}>{INCIDENT_LABEL[u.status]}</strong>
                <span class="faint" style={{ fontSize: '12px' }} title={fullTime(u.created_at)}>
                  <Time iso={u.created_at} />
                </span>
              </div>
              <p class="wrap-anywhere" style={{ whiteSpace: 'pre-wrap' }}>
                {u.message}
              </p>
              {u.internal_note ? (
                <p
                  class="wrap-anywhere"
                  style={{
                    fontSize: '12.5px',
                    marginTop: '6px',
                    padding: '6px 10px',
                    background: 'var(--sunken)',
                    borderRadius: '6px',
                    whiteSpace: 'pre-wrap',
                  }}
                >
                  <strong>Internal note</strong> <span class="faint">(never shown to customers)</span>:{' '}
                  {u.internal_note}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      </div>
    </section>
  )
}
