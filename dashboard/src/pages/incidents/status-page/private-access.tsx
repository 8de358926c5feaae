import { useState } from 'preact/hooks'
import { fullTime, toast } from '../../../components/ui'
import { useAsync } from '../../../hooks'
import { RevokeTable } from '../../../components/revoke-table'
import { incidentsApi } from '../client'

/** Tokens that show private incidents (owners): create one (shown once), revoke one. */
export function PrivateAccess({ projectId }: { projectId: string }) {
  const list = useAsync(() => incidentsApi.tokens(projectId), [projectId])
  const [label, setLabel] = useState('')
  const [created, setCreated] = useState<{ secret: string; url: string }>()
  return (
    <section class="card" aria-labelledby="tok-title">
      <div class="card-head">
        <h2 id="tok-title">Private incidents: access tokens</h2>
      </div>
      <div class="card-body stack">
        <p class="faint" style={{ fontSize: '13px' }}>
          Private incidents never appear on the public page, feeds or API. A token shows them: as a link (
          <code>?token=</code>), a <code>Bearer</code> header for summary.json, or the widget’s{' '}
          <code>X-Earshot-Status-Token</code> for signed-in customers.
        </p>
        {created ? (
          <div class="stack" style={{ gap: '6px' }}>
            <strong style={{ fontSize: '13px' }}>Copy it now — it is shown once:</strong>
            <div class="secret">{created.url}</div>
          </div>
        ) : null}
        <form
          class="row"
          style={{ gap: '8px' }}
          onSubmit={async (e) => {
            e.preventDefault()
            try {
              const t = await incidentsApi.createToken(projectId, label.trim())
              setCreated({ secret: t.secret, url: t.private_url })
              setLabel('')
              void list.reload()
              toast('Token created')
            } catch (err) {
              toast((err as Error).message, 'error')
            }
          }}
        >
          <input
            class="grow"
            aria-label="Token label"
            placeholder="Who is it for? e.g. Acme Corp"
            maxLength={100}
            value={label}
            onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
          />
          <button type="submit">Create token</button>
        </form>
      </div>
      <RevokeTable
        rows={list.data?.tokens ?? []}
        cells={(t) => (
          <>
            <td>{t.label || <span class="faint">(no label)</span>}</td>
            <td class="faint">created {fullTime(t.created_at)}</td>
          </>
        )}
        action={(t) =>
          t.revoked_at ? (
            <span class="pill plain">revoked</span>
          ) : (
            { run: () => incidentsApi.revokeToken(projectId, t.id), done: 'Token revoked' }
          )
        }
        actionWidth="90px"
        onDone={list.reload}
      />
    </section>
  )
}
