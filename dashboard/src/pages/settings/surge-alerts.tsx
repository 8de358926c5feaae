// A project's surge alerts (the cluster thresholds this form edits, the other defaults in a line)
// and how long its reports are kept. Saves only the fields that were changed.
import { useEffect, useState } from 'preact/hooks'
import { api } from '../../api'
import { attempt, toast } from '../../components/ui'
import type { Project } from '../../types'

type SurgeStored = {
  enabled?: boolean
  windowMinutes?: number
  cluster?: Record<string, number>
  [key: string]: unknown
}

/** The fields this form edits: [path in settings.surge, label, input bounds]. */
const SURGE_FIELDS = [
  { path: ['windowMinutes'], label: 'Window (min)', min: 1, max: 120, step: '1' },
  { path: ['cluster', 'minReports'], label: 'Reports', min: 1, max: 100000, step: '1' },
  { path: ['cluster', 'minReporters'], label: 'People', min: 1, max: 100000, step: '1' },
  { path: ['cluster', 'ratio'], label: '× usual rate', min: 1, max: 1000, step: '0.5' },
] as const

const at = (o: unknown, path: readonly string[]): unknown =>
  path.reduce<any>((v, k) => (v && typeof v === 'object' ? v[k] : undefined), o)

export function AlertingSection({
  project,
  owner,
  onChange,
}: {
  project: Project
  owner: boolean
  onChange: (p: Project) => void
}) {
  // Keys follow the surge detector's settings schema (worker/domain/surge/settings.ts); an unset key
  // means the server's default, which the project JSON carries (surge_defaults): the form shows the
  // value in effect and saves only the fields that were changed.
  const surge = (project.settings?.surge ?? {}) as SurgeStored
  const defaults = project.surge_defaults
  const effective = (path: readonly string[]) => String(at(surge, path) ?? at(defaults, path) ?? '')
  const initial = {
    enabled: surge.enabled ?? defaults?.enabled ?? true,
    fields: SURGE_FIELDS.map((f) => effective(f.path)),
    retention: project.settings?.retention_days ? String(project.settings.retention_days) : '',
  }
  const [enabled, setEnabled] = useState(initial.enabled)
  const [fields, setFields] = useState(initial.fields)
  const [retention, setRetention] = useState(initial.retention)
  useEffect(() => {
    setEnabled(initial.enabled)
    setFields(initial.fields)
    setRetention(initial.retention)
  }, [project.settings ? JSON.stringify(project.settings) : ''])
  return (
    <form
      class="card"
      data-testid="surge-settings"
      onSubmit={(e) => {
        e.preventDefault()
        const settings: Record<string, unknown> = {}
        const next: SurgeStored = JSON.parse(JSON.stringify(surge))
        let surgeChanged = false
        if (enabled !== initial.enabled) {
          next.enabled = enabled
          surgeChanged = true
        }
        SURGE_FIELDS.forEach((f, i) => {
          if (fields[i]!.trim() === initial.fields[i]) return
          let o: any = next
          for (const k of f.path.slice(0, -1)) o = o[k] ??= {}
          o[f.path[f.path.length - 1]!] = Number(fields[i])
          surgeChanged = true
        })
        if (surgeChanged) settings.surge = next
        if (retention.trim() !== initial.retention)
          settings.retention_days = retention.trim() ? Number(retention) : null
        if (Object.keys(settings).length === 0) {
          toast('Nothing changed')
          return
        }
        void attempt(async () => {
          const { project: p } = await api.updateProject(project.id, { settings })
          onChange(p)
        }, 'Settings saved')
      }}
    >
      <div class="card-head">
        <h2>Surge alerts and retention</h2>
      </div>
      <div class="card-body stack">
        <label class="row" style={{ fontSize: '13px' }}>
          <input
            type="checkbox"
            disabled={!owner}
            checked={enabled}
            onChange={(e) => setEnabled((e.target as HTMLInputElement).checked)}
          />
          Alert when customers start reporting the same problem
        </label>
        <p class="muted">
          A cluster surges when, within the window, at least this many reports from this many different people arrive,
          well above its usual rate.
        </p>
        <div class="field-row" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))' }}>
          {SURGE_FIELDS.map((f, i) => {
            const d = at(defaults, f.path)
            return (
              <label class="field" key={f.path.join('.')}>
                {f.label}
                <input
                  type="number"
                  min={f.min}
                  max={f.max}
                  step={f.step}
                  disabled={!owner}
                  value={fields[i]}
                  name={f.path.join('.')}
                  aria-label={f.label}
                  aria-describedby={`default-${f.path.join('-')}`}
                  onInput={(e) => setFields(fields.map((v, j) => (j === i ? (e.target as HTMLInputElement).value : v)))}
                />
                <span class="hint" id={`default-${f.path.join('-')}`} data-testid={`default-${f.path.join('.')}`}>
                  {d === undefined ? '' : at(surge, f.path) === undefined ? `default ${d}` : `default ${d} · changed`}
                </span>
              </label>
            )
          })}
        </div>
        {defaults ? (
          <p class="faint" data-testid="surge-defaults-more">
            Also on by default: a word shared across clusters surges at {defaults.topic.minReports} reports from{' '}
            {defaults.topic.minReporters} people; the whole project at {defaults.project.minReports} reports from{' '}
            {defaults.project.minReporters} people, {defaults.project.ratio}× its last{' '}
            {defaults.project.baselineMinutes / 60} hours; a slow burn at {defaults.slow.minReports} reports from{' '}
            {defaults.slow.minReporters} people in {defaults.slow.windowMinutes} min, {defaults.slow.ratio}× usual;
            within {defaults.afterDeploy.minutes} min after a deploy marker, the whole project at{' '}
            {defaults.afterDeploy.minReports} reports from {defaults.afterDeploy.minReporters} people,{' '}
            {defaults.afterDeploy.ratio}× usual.
          </p>
        ) : null}
        <label class="field" style={{ maxWidth: '360px' }}>
          Keep reports for (days) <span class="hint">Empty: keep them. Older reports are deleted daily.</span>
          <input
            type="number"
            min={1}
            max={3650}
            placeholder="forever"
            disabled={!owner}
            value={retention}
            onInput={(e) => setRetention((e.target as HTMLInputElement).value)}
          />
        </label>
        {owner ? (
          <div class="form-actions">
            <button class="primary" type="submit">
              Save
            </button>
          </div>
        ) : null}
      </div>
    </form>
  )
}
