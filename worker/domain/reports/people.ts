// Who a report counts as for "people affected". A product that calls identify() tells us who the
// customer is, so the same signed-in person on a laptop and a phone (two anonymous browser ids) is
// one person: their user id, else their e-mail (lower-cased), else the browser's reporter id.
import { sql } from 'drizzle-orm'

/** SQL over a `reports` row (unqualified columns): the key a report's person is counted under. */
export const PERSON_KEY_SQL =
  "coalesce('u:' || nullif(json_extract(context, '$.user.id'), ''), " +
  "'e:' || lower(nullif(trim(json_extract(context, '$.user.email')), '')), reporter_id)"

/** The same key as a drizzle fragment (counters.ts); the pipeline reads it with each waiting report. */
export const personKeySql = sql.raw(PERSON_KEY_SQL)
