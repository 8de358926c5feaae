import { Hono } from 'hono'
import type { Deps } from '../../domain/shared/index.js'
import { findAttachment, readAttachmentBytes } from '../../domain/reports/index.js'
import { ApiError } from '../../http/errors.js'
import { projectFor, type ApiEnv } from './context.js'
import { describe, error } from '../../http/openapi.js'

/**
 * A report's screenshot, for responders who may see the report (viewer and up in its workspace;
 * 404 for anyone else, as for the report). Served so a browser can only ever display it as an
 * image: the type sniffed at upload, inline, nosniff, and a CSP sandbox in case it is opened
 * as a document.
 */
export function attachmentRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()
  app.get(
    '/reports/:id/attachment',
    describe({
      id: 'getReportScreenshot',
      tag: 'reports',
      auth: 'session',
      summary: 'A report’s screenshot (the image bytes)',
      responses: {
        '200': {
          description: 'The image, as sniffed at upload',
          content: {
            'image/png': { schema: { type: 'string', format: 'binary' } },
            'image/jpeg': { schema: { type: 'string', format: 'binary' } },
            'image/webp': { schema: { type: 'string', format: 'binary' } },
          },
        },
        '404': error('not_found, attachment_missing'),
      },
    }),
    async (c) => {
      const info = await findAttachment(deps.db.orm, c.req.param('id'))
      if (!info) throw new ApiError(404, 'not_found', 'Not found.')
      await projectFor(deps, c.get('responder'), info.projectId, 'viewer')
      const bytes = await readAttachmentBytes(deps, info)
      if (!bytes) throw new ApiError(404, 'attachment_missing', 'The screenshot is no longer stored.')
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': info.contentType,
        'Content-Length': String(bytes.length),
        'Content-Disposition': 'inline',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cross-Origin-Resource-Policy': 'same-origin',
      })
    },
  )
  return app
}
