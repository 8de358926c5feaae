import { useState } from 'preact/hooks'
import { api } from '../api'
import { TopBar } from '../components/layout'
import { EmptyState, ErrorBanner, toast } from '../components/ui'
import { Link, navigate } from '../router'
import { allProjects, can, useSession } from '../session'
import type { SupportReportInput } from '../types'

/** Support adds what a customer told them; it goes through the same intake as widget reports. */
export function AddReportPage() {
  const session = useSession()
  const projects = allProjects(session)
  const [projectId, setProjectId] = useState(projects[0]?.id ?? '')
  const [message, setMessage] = useState('')
  const [channel, setChannel] = useState<SupportReportInput['channel']>('email')
  const [contact, setContact] = useState('')
  const [pageUrl, setPageUrl] = useState('')
  const [release, setRelease] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()

  if (!can('support', session))
    return (
      <div class="content">
        <EmptyState icon="headset" title="Support role needed">
          Ask a workspace owner to give you the support or responder role.
        </EmptyState>
      </div>
    )

  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await api.addReport(projectId, {
        message,
        channel,
        customer_contact: contact.trim() || undefined,
        page_url: pageUrl.trim() || undefined,
        release: release.trim() || undefined,
      })
      // Stored now; the pipeline clusters it within moments, and the triage list (polling) shows it there.
      toast('Report added; it joins its cluster in a moment')
      navigate('/clusters')
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <TopBar crumbs={<h1 style={{ color: 'var(--text)' }}>Add a report for a customer</h1>} />
      <div class="content" style={{ maxWidth: '720px' }}>
        <form class="card card-body stack" onSubmit={submit}>
          <p class="muted">
            Customers often tell support first. What you add here is clustered and counted like a report from the
            widget, and marked as coming from support. Help desks can post the same with an{' '}
            <Link href="/settings/tokens">API token</Link>.
          </p>
          <ErrorBanner error={error} />
          {projects.length > 1 ? (
            <label class="field">
              Project
              <select value={projectId} onChange={(e) => setProjectId((e.target as HTMLSelectElement).value)}>
                {projects.map((p) => (
                  <option value={p.id}>{p.name}</option>
                ))}
              </select>
            </label>
          ) : null}
          <label class="field">
            What the customer said <span class="hint">In their words, any language.</span>
            <textarea
              name="message"
              required
              maxLength={5000}
              rows={5}
              value={message}
              onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          <div class="field-row">
            <label class="field">
              Channel
              <select
                name="channel"
                value={channel}
                onChange={(e) => setChannel((e.target as HTMLSelectElement).value as SupportReportInput['channel'])}
              >
                <option value="email">E-mail</option>
                <option value="chat">Chat</option>
                <option value="phone">Phone</option>
                <option value="other">Other</option>
              </select>
            </label>
            <label class="field">
              Customer contact <span class="hint">E-mail, phone or ticket link</span>
              <input
                name="contact"
                maxLength={320}
                value={contact}
                onInput={(e) => setContact((e.target as HTMLInputElement).value)}
              />
            </label>
          </div>
          <div class="field-row">
            <label class="field">
              Page URL <span class="hint">optional</span>
              <input
                name="page_url"
                type="url"
                maxLength={2048}
                value={pageUrl}
                onInput={(e) => setPageUrl((e.target as HTMLInputElement).value)}
              />
            </label>
            <label class="field">
              Release <span class="hint">optional</span>
              <input
                name="release"
                maxLength={200}
                value={release}
                onInput={(e) => setRelease((e.target as HTMLInputElement).value)}
              />
            </label>
          </div>
          <div class="form-actions">
            <button class="primary" type="submit" disabled={busy || !projectId}>
              {busy ? 'Adding…' : 'Add report'}
            </button>
          </div>
        </form>
      </div>
    </>
  )
}
