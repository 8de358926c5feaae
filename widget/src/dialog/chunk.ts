// What the dialog chunk gives the loader: the dialog, and the outbox that delivers what it sends.
// The outbox lives here, not in the loader: it is needed only once someone reports (or when reports
// from an earlier visit are still queued, then the loader fetches this chunk to send them).
import { mountDialog } from './mount.js'
import { createOutbox } from '../outbox.js'
import type { DialogChunk } from '../types.js'

export const dialogChunk: DialogChunk = { mount: mountDialog, outbox: createOutbox }
