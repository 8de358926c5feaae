import { useState } from 'preact/hooks'
import { attempt, ErrorBanner } from '../../../components/ui'
import { useAsync } from '../../../hooks'
import { RevokeTable } from '../../../components/revoke-table'
import { COMPONENT_LABEL, incidentsApi, type ComponentStatus } from '../client'

/** The parts of the product the status page lists, and the status a responder sets for each. */
export function Components({ projectId, responder }: { projectId: string; responder: boolean }) {
  const list = useAsync(() => incidentsApi.components(projectId), [projectId])
  const [name, setName] = useState('')
  const components = list.data?.components ?? []
  return (
    <section class="card" aria-labelledby="cmp-title">
      <div class="card-head">
        <h2 id="cmp-title">Components</h2>
        <span class="faint" style={{ fontSize: '12.5px' }}>
          Active incidents and maintenance override the status set here
        </span>
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <RevokeTable
        rows={components}
        cells={(c) => (
          <>
            <td style={{ fontWeight: 550 }}>{c.name}</td>
            <td style={{ width: '220px' }}>
              <select
                aria-label={`Status of ${c.name}`}
                disabled={!responder}
                value={c.status}
                onChange={async (e) => {
                  if (
                    await attempt(
                      () =>
                        incidentsApi.updateComponent(projectId, c.id, {
                          status: (e.target as HTMLSelectElement).value as ComponentStatus,
                        }),
                      'Status changed',
                    )
                  )
                    void list.reload()
                }}
              >
                {(Object.keys(COMPONENT_LABEL) as ComponentStatus[]).map((s) => (
                  <option value={s}>{COMPONENT_LABEL[s]}</option>
                ))}
              </select>
            </td>
          </>
        )}
        action={(c) =>
          responder
            ? {
                label: 'Remove',
                ask: `Remove ${c.name} from the status page?`,
                run: () => incidentsApi.deleteComponent(projectId, c.id),
                done: 'Component removed',
              }
            : null
        }
        actionWidth="90px"
        onDone={list.reload}
        empty={
          list.data
            ? 'No components: the page shows one overall status. Add the parts of your product customers recognise.'
            : undefined
        }
      />
      {responder ? (
        <form
          class="card-body row"
          style={{ gap: '8px' }}
          onSubmit={async (e) => {
            e.preventDefault()
            if (
              await attempt(() => incidentsApi.createComponent(projectId, { name: name.trim() }), 'Component added')
            ) {
              setName('')
              void list.reload()
            }
          }}
        >
          <input
            class="grow"
            aria-label="New component name"
            placeholder="e.g. Checkout"
            maxLength={100}
            value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
          <button type="submit" disabled={!name.trim()}>
            Add component
          </button>
        </form>
      ) : null}
    </section>
  )
}
