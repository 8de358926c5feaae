// What `npm start` prints: where everything is, how to sign in, and whether e-mail can leave (so a
// self-hoster knows at once that subscriptions and notices wait in the outbox until it is set up).
import type { Config } from '../config.js'

export interface BannerInput {
  url: string
  port: number
  databaseUrl: string
  config: Pick<Config, 'email'>
  seed: { publicKey: string; adminEmail: string; generatedPassword?: string; created?: boolean }
  /** Where customers' screenshots are kept (EARSHOT_ATTACHMENTS_DIR). */
  attachmentsDir?: string
  /** The `.env` file settings were also read from (Node entry), if any. */
  envFile?: string
}

export function emailLine(config: Pick<Config, 'email'>): string {
  if (!config.email)
    return (
      '  E-mail              not configured: e-mails wait in the outbox (Dashboard → Outbox); ' +
      'set EMAIL_API_URL, EMAIL_API_KEY and EMAIL_FROM to send them'
    )
  let host = config.email.apiUrl
  try {
    host = new URL(config.email.apiUrl).host
  } catch {}
  return `  E-mail              configured: sent through ${host} from ${config.email.from}`
}

export function startupBanner({ url, port, databaseUrl, config, seed, attachmentsDir, envFile }: BannerInput): string {
  const database = databaseUrl.startsWith('file:') ? databaseUrl.slice(5) : databaseUrl.replace(/\/\/.*@/, '//')
  const lines = [
    '',
    `  Earshot is running on ${url}  (database: ${database})` + (envFile ? `  (settings from ${envFile} too)` : ''),
    '',
    `  Demo product page   http://localhost:${port}/`,
    `  Dashboard           http://localhost:${port}/dashboard/`,
    `  Status page         http://localhost:${port}/status/demo`,
    `  Widget script       http://localhost:${port}/widget.js`,
    `  Public key (demo)   ${seed.publicKey}`,
    ...(attachmentsDir ? [`  Screenshots         ${attachmentsDir}  (EARSHOT_ATTACHMENTS_DIR)`] : []),
    emailLine(config),
    '',
    `  Sign in as ${seed.adminEmail}` +
      (seed.generatedPassword
        ? ` with password ${seed.generatedPassword}  (shown once; set EARSHOT_ADMIN_PASSWORD to choose it)`
        : seed.created
          ? ' with the password from EARSHOT_ADMIN_PASSWORD'
          : ' (password as set when the database was created)'),
    '',
  ]
  return lines.join('\n')
}
