// Script-tag dialog chunk (dist/public/widget/dialog-<locale>.<hash>.js): hands the dialog and the
// outbox to the loader, which picks them up in the script's load event.
import { dialogChunk } from './chunk.js'
;(window as unknown as { __earshot_dialog: typeof dialogChunk }).__earshot_dialog = dialogChunk
