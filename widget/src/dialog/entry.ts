// Script-tag dialog chunk (dist/public/widget/dialog.<hash>.js): hands the mount function to the
// loader, which picks it up in the script's load event.
import { mountDialog } from './mount.js'
;(window as unknown as { __earshotDialog: typeof mountDialog }).__earshotDialog = mountDialog
