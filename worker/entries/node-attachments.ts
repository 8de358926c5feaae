// Node only: attachment bytes as files in a directory beside the database (EARSHOT_ATTACHMENTS_DIR,
// default <database folder>/attachments). A file is written under a temporary name, fsynced and
// renamed, so a crash never leaves half an image under a key a report points at.
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { AttachmentStore } from '../domain/reports/index.js'

export function directoryAttachmentStore(root: string): AttachmentStore {
  const dir = resolve(root)
  // Keys are ours (`<project id>/<attachment id>`), but never let one leave the directory.
  const pathOf = (key: string) => {
    if (!/^[a-z0-9_]+\/[a-z0-9_]+$/i.test(key)) throw new Error(`bad attachment key ${key}`)
    return join(dir, key)
  }
  return {
    async put(key, bytes) {
      const path = pathOf(key)
      await mkdir(dirname(path), { recursive: true })
      const temp = `${path}.${process.pid}.tmp`
      const file = await open(temp, 'w')
      try {
        await file.writeFile(bytes)
        await file.sync()
      } finally {
        await file.close()
      }
      await rename(temp, path)
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    async delete(keys) {
      for (const key of keys) await rm(pathOf(key), { force: true })
    },
    async *list() {
      let projects: string[]
      try {
        projects = await readdir(dir)
      } catch {
        return // nothing stored yet
      }
      for (const project of projects) {
        const files = await readdir(join(dir, project)).catch(() => [] as string[])
        const keys = files.filter((f) => !f.endsWith('.tmp')).map((f) => `${project}/${f}`)
        for (let i = 0; i < keys.length; i += 500) yield keys.slice(i, i + 500)
      }
    },
  }
}

/** The default directory: beside an embedded database file, else data/attachments under the repository. */
export function defaultAttachmentsDir(databaseUrl: string, repoRoot: string): string {
  return databaseUrl.startsWith('file:')
    ? join(dirname(resolve(databaseUrl.slice(5))), 'attachments')
    : join(repoRoot, 'data/attachments')
}
