import { useState } from 'preact/hooks'
import { attempt, Time } from '../../../components/ui'
import { api } from '../../../api'
import type { IncidentDetail } from '../client'

/**
 * A resolved incident whose clusters got new reports: say so, and let a responder reopen it (a new
 * public update, written here) or dismiss the mark.
 */
export function MayBeBack({
  incident,
  responder,
  onChanged,
}: {
  incident: IncidentDetail
  responder: boolean
  onChanged: () => unknown
}) {
  const [reopening, setReopening] = useState(false)
  const [message, setMessage] = useState('We are seeing new reports about this problem and are looking into it again.')
  const n = incident.reports_since_resolved ?? 0
  return (
    <div class="notice back" role="status" data-testid="may-be-back">
      <span class="pill back">May be back</span>
      <span class="grow">
        {n === 1 ? '1 new report' : `${n} new reports`} since it was resolved (first{' '}
        <Time iso={incident.may_be_back_at!} />
        ).
      </span>
      {responder && !reopening ? (
        <>
          <button
            class="small"
            onClick={() =>
              attempt(() => api.dismissRecurrence(incident.id), 'Dismissed: not back').then((ok) => ok && onChanged())
            }
          >
            Dismiss
          </button>
          <button class="small primary" onClick={() => setReopening(true)}>
            Reopen incident…
          </button>
        </>
      ) : null}
      {reopening ? (
        <form
          class="stack"
          style={{ width: '100%', gap: '8px' }}
          onSubmit={(e) => {
            e.preventDefault()
            void attempt(
              () => api.postIncidentUpdate(incident.id, { status: 'investigating', message: message.trim() }),
              'Incident reopened',
            ).then((ok) => ok && onChanged())
          }}
        >
          <label for="reopen-message" style={{ fontSize: '12.5px' }}>
            Public update (status: Investigating)
          </label>
          <textarea
            id="reopen-message"
            rows={2}
            value={message}
            onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)}
          />
          <div class="row" style={{ justifyContent: 'flex-end' }}>
            <button type="button" class="small" onClick={() => setReopening(false)}>
              Cancel
            </button>
            <button type="submit" class="small primary" disabled={!message.trim()}>
              Reopen incident
            </button>
          </div>
        </form>
      ) : null}
    </div>
  )
}
