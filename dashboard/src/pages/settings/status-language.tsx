import { useState } from 'preact/hooks'
import { api } from '../../api'
import { attempt } from '../../components/ui'
import type { Project } from '../../types'

// The status page's default language: for visitors whose browser asks for none the page speaks
// (the page follows each visitor's Accept-Language first, and their own choice before that).

const LANGUAGES = [
  ['en', 'English'],
  ['zh-CN', '简体中文 (Simplified Chinese)'],
] as const

export function StatusLanguageSection({
  project,
  owner,
  onChange,
}: {
  project: Project
  owner: boolean
  onChange: (p: Project) => void
}) {
  const [lang, setLang] = useState(
    typeof project.settings?.status_language === 'string' ? project.settings.status_language : 'en',
  )
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault()
        void attempt(async () => {
          const { project: p } = await api.updateProject(project.id, { settings: { status_language: lang } })
          onChange(p)
        }, 'Status page language saved')
      }}
    >
      <div class="card-head">
        <h2>Status page language</h2>
      </div>
      <div class="card-body stack">
        <p class="muted">
          The status page, its e-mails and feeds speak English and Simplified Chinese. Each visitor gets the language
          their browser asks for, or the one they pick on the page; this is the language for everyone else.
        </p>
        <label class="field" style={{ maxWidth: '320px' }}>
          Default language
          <select disabled={!owner} value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value)}>
            {LANGUAGES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {owner ? (
          <div class="form-actions">
            <button class="primary" type="submit">
              Save language
            </button>
          </div>
        ) : null}
      </div>
    </form>
  )
}
