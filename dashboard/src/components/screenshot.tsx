// A customer's screenshot in a report: a thumbnail that opens the full image (issue 14), and the
// "with screenshot" count on a cluster. The image comes from /api/reports/:id/attachment, which
// serves only PNG/JPEG/WebP with nosniff and a CSP sandbox; it is shown as an <img>, never as markup.
import { useState } from 'preact/hooks'
import { Modal, num } from './ui'
import type { Report } from '../types'

const src = (reportId: string) => `/api/reports/${encodeURIComponent(reportId)}/attachment`

export function ReportScreenshot({ report }: { report: Report }) {
  const [open, setOpen] = useState(false)
  if (!report.attachment) return null
  return (
    <>
      <button
        type="button"
        class="shot-thumb"
        onClick={() => setOpen(true)}
        aria-label="Open the customer’s screenshot"
      >
        <img src={src(report.id)} alt="Screenshot the customer attached" loading="lazy" />
      </button>
      {open ? (
        <Modal title="Customer’s screenshot" onClose={() => setOpen(false)} wide>
          <img class="shot-full" src={src(report.id)} alt="Screenshot the customer attached, full size" />
        </Modal>
      ) : null}
    </>
  )
}

export function ScreenshotCount({ count }: { count?: number }) {
  if (!count) return null
  return <span class="shot-count">{num(count)} with screenshot</span>
}
