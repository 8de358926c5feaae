/**
 * DEV/TEST-ONLY: serves an embedded libSQL database file over libSQL's HTTP protocol
 * ("Hrana over HTTP", JSON encoding, versions 2 and 3) so that the libSQL *web* client —
 * the one workerd resolves `@libsql/client` to — can talk to a local file.
 *
 * This is test infrastructure. It is never the production path: in production the Workers
 * entry talks to Turso, which speaks this protocol natively. There is no libSQL server (sqld)
 * installable here, which is the only reason this file exists.
 *
 * What it implements, following @libsql/hrana-client 0.10 (what @libsql/client 0.18 sends):
 *  - `GET /v2`, `GET /v3` → 200 (version probes); `GET /v3-protobuf` → 404, so a client that
 *    probes falls back to JSON.
 *  - `POST /v2/pipeline`, `POST /v3/pipeline`: execute, batch (with ok/error/not/and/or/
 *    is_autocommit conditions), sequence, store_sql, close_sql, get_autocommit, close.
 *  - Streams with batons: every stream owns one native libSQL connection, so `BEGIN` in one
 *    request and `COMMIT` in a later one work exactly as on a real server (interactive
 *    transactions, drizzle's migrator with its `PRAGMA foreign_keys=off` around a batch).
 *
 * Each stream needs its own connection, and @libsql/client's `file:` client hands connections
 * out from a pool that rolls back any transaction left open between calls, so this file uses
 * `libsql` — the native engine underneath @libsql/client's `file:` URLs — directly.
 *
 * Concurrency: the native calls are synchronous, so a stream waiting on SQLite's busy handler
 * would block the very event loop the lock holder needs. Instead, streams take turns: a stream
 * holds a server-wide lock while it is inside a transaction (as sqld serialises writers), and
 * other streams' requests wait asynchronously. A stream idle for longer than
 * `idleStreamTimeoutMs` is rolled back and closed; its baton then answers `STREAM_EXPIRED`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import Database from "libsql";

type Connection = InstanceType<typeof Database>;

// ---- Hrana JSON protocol types (the subset a client can send) ----

type ProtoValue =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };

interface ProtoStmt {
  sql?: string;
  sql_id?: number;
  args?: ProtoValue[];
  named_args?: { name: string; value: ProtoValue }[];
  want_rows?: boolean;
}

type ProtoCond =
  | { type: "ok"; step: number }
  | { type: "error"; step: number }
  | { type: "not"; cond: ProtoCond }
  | { type: "and"; conds: ProtoCond[] }
  | { type: "or"; conds: ProtoCond[] }
  | { type: "is_autocommit" };

interface ProtoBatch {
  steps: { condition?: ProtoCond | null; stmt: ProtoStmt }[];
}

type StreamRequest =
  | { type: "close" }
  | { type: "execute"; stmt: ProtoStmt }
  | { type: "batch"; batch: ProtoBatch }
  | { type: "sequence"; sql?: string; sql_id?: number }
  | { type: "describe"; sql?: string; sql_id?: number }
  | { type: "store_sql"; sql_id: number; sql: string }
  | { type: "close_sql"; sql_id: number }
  | { type: "get_autocommit" };

interface ProtoError {
  message: string;
  code?: string;
}

interface StmtResult {
  cols: { name: string | null; decltype: string | null }[];
  rows: ProtoValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}

type StreamResult = { type: "ok"; response: Record<string, unknown> } | { type: "error"; error: ProtoError };

/** An error the client should see as a Hrana error (message + code). */
class HranaError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

// ---- values ----

function valueFromProto(value: ProtoValue): unknown {
  switch (value.type) {
    case "null":
      return null;
    case "integer":
      return BigInt(value.value);
    case "float":
      return Number(value.value);
    case "text":
      return String(value.value);
    case "blob":
      return Buffer.from(value.base64, "base64");
    default:
      throw new HranaError(`Unknown value type ${JSON.stringify((value as { type: unknown }).type)}`, "HRANA_PROTO_ERROR");
  }
}

function valueToProto(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { type: "null" };
  if (typeof value === "bigint") return { type: "integer", value: value.toString() };
  if (typeof value === "number") return { type: "float", value };
  if (typeof value === "string") return { type: "text", value };
  if (value instanceof Uint8Array) return { type: "blob", base64: Buffer.from(value).toString("base64") };
  if (value instanceof ArrayBuffer) return { type: "blob", base64: Buffer.from(value).toString("base64") };
  throw new HranaError(`Cannot encode a value of type ${typeof value}`, "HRANA_PROTO_ERROR");
}

// ---- SQLite errors → Hrana errors ----

const sqliteBaseCodes: Record<number, string> = {
  1: "SQLITE_ERROR", 2: "SQLITE_INTERNAL", 3: "SQLITE_PERM", 4: "SQLITE_ABORT", 5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED", 7: "SQLITE_NOMEM", 8: "SQLITE_READONLY", 9: "SQLITE_INTERRUPT", 10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT", 12: "SQLITE_NOTFOUND", 13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN",
  15: "SQLITE_PROTOCOL", 16: "SQLITE_EMPTY", 17: "SQLITE_SCHEMA", 18: "SQLITE_TOOBIG",
  19: "SQLITE_CONSTRAINT", 20: "SQLITE_MISMATCH", 21: "SQLITE_MISUSE", 22: "SQLITE_NOLFS",
  23: "SQLITE_AUTH", 24: "SQLITE_FORMAT", 25: "SQLITE_RANGE", 26: "SQLITE_NOTADB",
};

function errorToProto(error: unknown): ProtoError {
  if (error instanceof HranaError) return { message: error.message, code: error.code };
  const e = error as { message?: unknown; code?: unknown; rawCode?: unknown };
  const message = typeof e?.message === "string" ? e.message : String(error);
  // Like sqld, report the primary result code (SQLITE_CONSTRAINT, not SQLITE_CONSTRAINT_UNIQUE).
  if (typeof e?.rawCode === "number") {
    return { message, code: sqliteBaseCodes[e.rawCode & 0xff] ?? `SQLITE_UNKNOWN_${e.rawCode & 0xff}` };
  }
  if (typeof e?.code === "string" && e.code.startsWith("SQLITE_")) return { message, code: e.code };
  return { message, code: "SQLITE_UNKNOWN" };
}

// ---- streams ----

class Stream {
  readonly sqls = new Map<number, string>();
  lastUsed = Date.now();
  constructor(readonly conn: Connection) {}
}

/** A server-wide turn: held by the stream that is inside a transaction. */
class TurnLock {
  private owner: Stream | null = null;
  private waiters: (() => void)[] = [];

  async acquire(stream: Stream): Promise<void> {
    while (this.owner !== null && this.owner !== stream) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.owner = stream;
  }

  release(stream: Stream): void {
    if (this.owner !== stream) return;
    this.owner = null;
    this.waiters.shift()?.();
  }

  heldBy(stream: Stream): boolean {
    return this.owner === stream;
  }
}

export interface HranaServerOptions {
  /** Path of the libSQL/SQLite database file to serve. */
  path: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** When set, requests must carry `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** A stream not used for this long is rolled back and closed (default 10 s, like sqld). */
  idleStreamTimeoutMs?: number;
}

export interface HranaServer {
  /** `http://127.0.0.1:<port>` — what to pass as the libSQL URL. */
  readonly url: string;
  readonly port: number;
  /** Pipeline requests served so far (lets tests see that traffic really came here). */
  readonly requestCount: number;
  /** Stops listening, drops open connections and closes every database connection. */
  close(): Promise<void>;
}

export async function startHranaServer(options: HranaServerOptions): Promise<HranaServer> {
  const idleTimeoutMs = options.idleStreamTimeoutMs ?? 10_000;
  const streams = new Map<string, Stream>(); // baton → stream
  const lock = new TurnLock();
  let requestCount = 0;

  // A connection is opened per stream and closed with it (~0.35 ms here): a stream may have
  // changed per-connection state (PRAGMAs, temp tables) that must not leak into the next one.
  const closeStream = (stream: Stream): void => {
    lock.release(stream);
    const conn = stream.conn;
    if (!conn.open) return;
    try {
      if (conn.inTransaction) conn.exec("ROLLBACK");
    } finally {
      conn.close();
    }
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [baton, stream] of streams) {
      if (now - stream.lastUsed > idleTimeoutMs) {
        streams.delete(baton);
        closeStream(stream);
      }
    }
  }, Math.min(1000, idleTimeoutMs)).unref();

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorToProto(error));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "") || "/";

    if (options.authToken !== undefined && req.headers.authorization !== `Bearer ${options.authToken}`) {
      await drain(req);
      return sendJson(res, 401, { message: "Missing or invalid auth token", code: "AUTH_FAILED" });
    }

    if (req.method === "GET") {
      await drain(req);
      if (path === "/v2" || path === "/v3" || path === "/health") return sendText(res, 200, "");
      if (path === "/version") return sendText(res, 200, "earshot-hrana-dev");
      return sendText(res, 404, "Not found");
    }

    if (req.method === "POST" && (path === "/v2/pipeline" || path === "/v3/pipeline")) {
      const version = path === "/v3/pipeline" ? 3 : 2;
      let body: { baton?: string | null; requests?: StreamRequest[] };
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return sendJson(res, 400, { message: "Request body is not valid JSON", code: "HRANA_PROTO_ERROR" });
      }
      if (!Array.isArray(body?.requests)) {
        return sendJson(res, 400, { message: "Pipeline request needs a `requests` array", code: "HRANA_PROTO_ERROR" });
      }
      requestCount++;

      let stream: Stream;
      if (typeof body.baton === "string") {
        const found = streams.get(body.baton);
        if (found === undefined) {
          return sendJson(res, 400, { message: "The stream has expired or the baton is invalid", code: "STREAM_EXPIRED" });
        }
        streams.delete(body.baton); // a baton is good for exactly one request
        stream = found;
      } else {
        stream = new Stream(new Database(options.path));
      }

      await lock.acquire(stream);
      stream.lastUsed = Date.now();
      const results: StreamResult[] = [];
      let closed = false;
      for (const request of body.requests) {
        if (closed) {
          results.push({ type: "error", error: { message: "The stream was closed", code: "STREAM_CLOSED" } });
          continue;
        }
        if (request?.type === "close") {
          closed = true;
          results.push({ type: "ok", response: { type: "close" } });
          continue;
        }
        try {
          results.push({ type: "ok", response: runRequest(stream, request, version) });
        } catch (error) {
          results.push({ type: "error", error: errorToProto(error) });
        }
      }
      stream.lastUsed = Date.now();

      let baton: string | null = null;
      if (closed) {
        closeStream(stream);
      } else {
        baton = randomBytes(18).toString("base64url");
        streams.set(baton, stream);
        // Outside a transaction the stream needs no turn; inside one it keeps it.
        if (!stream.conn.inTransaction) lock.release(stream);
      }
      return sendJson(res, 200, { baton, base_url: null, results });
    }

    await drain(req);
    return sendText(res, 404, "Not found");
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requestCount() {
      return requestCount;
    },
    async close() {
      clearInterval(sweep);
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closing;
      for (const stream of streams.values()) closeStream(stream);
      streams.clear();
    },
  };
}

// ---- executing requests ----

function runRequest(stream: Stream, request: StreamRequest, version: number): Record<string, unknown> {
  switch (request.type) {
    case "execute":
      return { type: "execute", result: executeStmt(stream, request.stmt) };
    case "batch":
      return { type: "batch", result: executeBatch(stream, request.batch, version) };
    case "sequence":
      stream.conn.exec(resolveSql(stream, request.sql, request.sql_id));
      return { type: "sequence" };
    case "store_sql":
      stream.sqls.set(request.sql_id, request.sql);
      return { type: "store_sql" };
    case "close_sql":
      stream.sqls.delete(request.sql_id);
      return { type: "close_sql" };
    case "get_autocommit":
      if (version < 3) throw new HranaError("get_autocommit needs Hrana 3", "HRANA_PROTO_ERROR");
      return { type: "get_autocommit", is_autocommit: !stream.conn.inTransaction };
    case "describe":
      // The native binding exposes neither parameter names nor read-only flags, so an honest
      // answer is impossible; @libsql/client never sends this request.
      throw new HranaError("describe is not supported by this dev server", "NOT_SUPPORTED");
    default:
      throw new HranaError(`Unknown request type ${JSON.stringify((request as { type: unknown }).type)}`, "HRANA_PROTO_ERROR");
  }
}

function resolveSql(stream: Stream, sql: string | undefined, sqlId: number | undefined): string {
  if (typeof sql === "string") return sql;
  if (typeof sqlId === "number") {
    const stored = stream.sqls.get(sqlId);
    if (stored === undefined) throw new HranaError(`SQL text ${sqlId} is not stored on this stream`, "SQL_NOT_FOUND");
    return stored;
  }
  throw new HranaError("Statement has neither sql nor sql_id", "HRANA_PROTO_ERROR");
}

function bindings(stmt: ProtoStmt): unknown[] {
  const positional = (stmt.args ?? []).map(valueFromProto);
  const named = stmt.named_args ?? [];
  if (named.length === 0) return positional;
  if (positional.length > 0) {
    throw new HranaError("Mixing positional and named arguments is not supported by this dev server", "NOT_SUPPORTED");
  }
  const object: Record<string, unknown> = {};
  // The binding adds the prefix itself, as it does for @libsql/client's file: URLs.
  for (const { name, value } of named) object[name.replace(/^[:@$]/, "")] = valueFromProto(value);
  return [object];
}

function executeStmt(stream: Stream, stmt: ProtoStmt): StmtResult {
  const conn = stream.conn;
  const sql = resolveSql(stream, stmt.sql, stmt.sql_id);
  const args = bindings(stmt);
  const prepared = conn.prepare(sql);
  prepared.safeIntegers(true);

  if (!prepared.reader) {
    const info = prepared.run(...(args as []));
    return {
      cols: [],
      rows: [],
      affected_row_count: Number(info.changes),
      last_insert_rowid: String(info.lastInsertRowid),
    };
  }

  // A statement that returns rows may still write (INSERT … RETURNING): count its changes the
  // way sqld does, from the connection's counters around the statement.
  const totalBefore = scalar(conn, "SELECT total_changes()");
  prepared.raw(true);
  const cols = prepared.columns().map((c) => ({ name: c.name ?? null, decltype: c.type ?? null }));
  const rawRows = prepared.all(...(args as [])) as unknown[][];
  const wrote = scalar(conn, "SELECT total_changes()") !== totalBefore;
  return {
    cols,
    rows: stmt.want_rows === false ? [] : rawRows.map((row) => row.map(valueToProto)),
    affected_row_count: wrote ? Number(scalar(conn, "SELECT changes()")) : 0,
    last_insert_rowid: String(scalar(conn, "SELECT last_insert_rowid()")),
  };
}

function scalar(conn: Connection, sql: string): bigint {
  const row = conn.prepare(sql).safeIntegers(true).raw(true).get() as unknown[];
  return row[0] as bigint;
}

function executeBatch(stream: Stream, batch: ProtoBatch, version: number) {
  const stepResults: (StmtResult | null)[] = [];
  const stepErrors: (ProtoError | null)[] = [];

  const holds = (cond: ProtoCond): boolean => {
    switch (cond.type) {
      case "ok":
        return stepResults[cond.step] != null;
      case "error":
        return stepErrors[cond.step] != null;
      case "not":
        return !holds(cond.cond);
      case "and":
        return cond.conds.every(holds);
      case "or":
        return cond.conds.some(holds);
      case "is_autocommit":
        if (version < 3) throw new HranaError("is_autocommit needs Hrana 3", "HRANA_PROTO_ERROR");
        return !stream.conn.inTransaction;
      default:
        throw new HranaError(`Unknown batch condition ${JSON.stringify((cond as { type: unknown }).type)}`, "HRANA_PROTO_ERROR");
    }
  };

  for (const step of batch.steps ?? []) {
    if (step.condition != null && !holds(step.condition)) {
      stepResults.push(null);
      stepErrors.push(null);
      continue;
    }
    try {
      stepResults.push(executeStmt(stream, step.stmt));
      stepErrors.push(null);
    } catch (error) {
      stepResults.push(null);
      stepErrors.push(errorToProto(error));
    }
  }
  return { step_results: stepResults, step_errors: stepErrors };
}

// ---- HTTP helpers ----

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function drain(req: IncomingMessage): Promise<void> {
  await readBody(req);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  // The client only parses an error body as JSON when the type is exactly application/json.
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

// `node --import tsx test/support/hrana-server.ts ./data/earshot.db [port]` serves a file for a
// local `wrangler dev` run (TURSO_DATABASE_URL=http://127.0.0.1:<port>).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, port] = process.argv.slice(2);
  if (!file) {
    console.error("usage: node --import tsx test/support/hrana-server.ts <database file> [port]");
    process.exit(2);
  }
  const server = await startHranaServer({ path: file, port: port ? Number(port) : 8080 });
  console.log(`DEV ONLY: serving ${file} over Hrana at ${server.url}`);
}
