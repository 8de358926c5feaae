import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * Node only: reads `.env` from the working directory (or EARSHOT_ENV_FILE) into process.env with
 * Node's own parser (`process.loadEnvFile`, Node ≥ 20.12). Variables already set in the real
 * environment win, so a deployment's settings are never overridden by a stray file.
 */
export function loadEnvFile(path = process.env.EARSHOT_ENV_FILE || '.env'): string | undefined {
  const file = resolve(path)
  if (!existsSync(file)) {
    if (process.env.EARSHOT_ENV_FILE) throw new Error(`EARSHOT_ENV_FILE=${process.env.EARSHOT_ENV_FILE}: no such file`)
    return undefined
  }
  process.loadEnvFile(file)
  return file
}
