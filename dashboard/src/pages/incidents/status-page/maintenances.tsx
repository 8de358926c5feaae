import { useState } from 'preact/hooks'
import { attempt, ErrorBanner, fullTime } from '../../../components/ui'
import { useAsync } from '../../../hooks'
import { RevokeTable } from '../../../components/revoke-table'
import { incidentsApi } from '../client'

const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
/** Scheduled maintenance: upcoming and recent windows, cancel one, schedule a new one. */
export function Maintenances({ projectId, responder }: { projectId: string; responder: boolean }) {
  const list = useAsync(() => incidentsApi.maintenances(projectId), [projectId])
  const comps = useAsync(() => incidentsApi.components(projectId), [projectId])
  const start = new Date(Date.now() + 86_400_000)
  start.setMinutes(0, 0, 0)
  const [form, setForm] = useState({
    title: '',
    message: '',
    starts: localInput(start),
    ends: localInput(new Date(start.getTime() + 3_600_000)),
    components: [] as string[],
  })
  const upcoming = (list.data?.maintenances ?? []).filter((m) => m.phase === 'scheduled' || m.phase === 'in_progress')
  const past = (list.data?.maintenances ?? [])
    .filter((m) => m.phase === 'completed' || m.phase === 'cancelled')
    .slice(0, 10)
  return (
    <section class="card" aria-labelledby="mnt-title">
      <div class="card-head">
        <h2 id="mnt-title">Scheduled maintenance</h2>
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <RevokeTable
        rows={[...upcoming, ...past]}
        cells={(m) => (
          <>
            <td>
              <div style={{ fontWeight: 550 }}>{m.title}</div>
              <div class="faint" style={{ fontSize: '12px' }}>
                {fullTime(m.starts_at)} – {fullTime(m.ends_at)}
                {m.components.length ? ` · ${m.components.map((c) => c.name).join(', ')}` : ''}
              </div>
            </td>
            <td style={{ width: '120px' }}>
              <span class="pill plain">{m.phase.replace('_', ' ')}</span>
            </td>
          </>
        )}
        action={(m) =>
          responder && (m.phase === 'scheduled' || m.phase === 'in_progress')
            ? {
                label: 'Cancel',
                ask: `Cancel “${m.title}”?`,
                run: () => incidentsApi.cancelMaintenance(projectId, m.id),
                done: 'Maintenance cancelled',
              }
            : null
        }
        actionWidth="90px"
        onDone={list.reload}
        empty={list.data ? 'Nothing planned.' : undefined}
      />
      {responder ? (
        <form
          class="card-body stack"
          style={{ borderTop: '1px solid var(--border)' }}
          onSubmit={async (e) => {
            e.preventDefault()
            const ok = await attempt(
              () =>
                incidentsApi.scheduleMaintenance(projectId, {
                  title: form.title.trim(),
                  message: form.message.trim(),
                  starts_at: new Date(form.starts).toISOString(),
                  ends_at: new Date(form.ends).toISOString(),
                  component_ids: form.components,
                }),
              'Maintenance scheduled — subscribers are told now',
            )
            if (ok) {
              setForm({ ...form, title: '', message: '', components: [] })
              void list.reload()
            }
          }}
        >
          <label class="field">
            Title
            <input
              required
              maxLength={200}
              value={form.title}
              placeholder="Database upgrade"
              onInput={(e) => setForm({ ...form, title: (e.target as HTMLInputElement).value })}
            />
          </label>
          <div class="field-row">
            <label class="field">
              Starts (your time)
              <input
                type="datetime-local"
                required
                value={form.starts}
                onInput={(e) => setForm({ ...form, starts: (e.target as HTMLInputElement).value })}
              />
            </label>
            <label class="field">
              Ends
              <input
                type="datetime-local"
                required
                value={form.ends}
                onInput={(e) => setForm({ ...form, ends: (e.target as HTMLInputElement).value })}
              />
            </label>
          </div>
          <label class="field">
            What customers should know
            <textarea
              rows={2}
              maxLength={5000}
              value={form.message}
              onInput={(e) => setForm({ ...form, message: (e.target as HTMLTextAreaElement).value })}
            />
          </label>
          {(comps.data?.components ?? []).length ? (
            <div class="row" style={{ flexWrap: 'wrap', gap: '12px', fontSize: '13px' }}>
              {comps.data!.components.map((c) => (
                <label class="row" style={{ gap: '6px' }}>
                  <input
                    type="checkbox"
                    checked={form.components.includes(c.id)}
                    onChange={(e) =>
                      setForm({
                        ...form,
                        components: (e.target as HTMLInputElement).checked
                          ? [...form.components, c.id]
                          : form.components.filter((x) => x !== c.id),
                      })
                    }
                  />
                  {c.name}
                </label>
              ))}
            </div>
          ) : null}
          <div class="form-actions">
            <button class="primary" type="submit" disabled={!form.title.trim()}>
              Schedule maintenance
            </button>
          </div>
        </form>
      ) : null}
    </section>
  )
}
