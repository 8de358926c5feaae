import { useState } from 'preact/hooks'
import { attempt, IMPACT_LABEL } from '../../../components/ui'
import type { IncidentImpact } from '../../../types'
import { incidentsApi, type IncidentDetail } from '../client'

/** Title, impact and status page components of the incident (responders). */
export function DetailsControls({ incident, onChanged }: { incident: IncidentDetail; onChanged: () => void }) {
  const [busy, setBusy] = useState(false)
  async function change(input: { impact?: IncidentImpact; visibility?: 'public' | 'private' }, text: string) {
    setBusy(true)
    if (await attempt(() => incidentsApi.patch(incident.id, input), text)) onChanged()
    setBusy(false)
  }
  return (
    <div class="row" style={{ alignSelf: 'flex-start', gap: '8px' }}>
      <label class="sr-only" for="impact-select">
        Impact
      </label>
      <select
        id="impact-select"
        disabled={busy}
        value={incident.impact}
        onChange={(e) => change({ impact: (e.target as HTMLSelectElement).value as IncidentImpact }, 'Impact changed')}
      >
        {(['none', 'minor', 'major', 'critical'] as const).map((i) => (
          <option value={i}>{IMPACT_LABEL[i]} impact</option>
        ))}
      </select>
      <button
        class="small"
        disabled={busy}
        onClick={() => {
          const next = incident.visibility === 'public' ? 'private' : 'public'
          if (
            next === 'public' &&
            !confirm('Make this incident public? It will appear on the status page, in feeds and in the widget.')
          )
            return
          void change({ visibility: next }, next === 'public' ? 'Incident is public' : 'Incident is private')
        }}
      >
        {incident.visibility === 'public' ? 'Make private' : 'Make public'}
      </button>
    </div>
  )
}
