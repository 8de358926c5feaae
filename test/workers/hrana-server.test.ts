// The dev-only Hrana server must behave like a libSQL server for the *web* client — the client
// workerd uses — or the Workers tests would prove nothing. These tests drive it with
// `@libsql/client/web` and check the results against the file itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient as createWebClient, LibsqlError, type Client } from "@libsql/client/web";
import { createClient as createFileClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql/web";
import { migrate } from "drizzle-orm/libsql/migrator";
import { startHranaServer, type HranaServer } from "../support/hrana-server.js";

let dir: string;
let file: string;
let server: HranaServer;
let client: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "earshot-hrana-"));
  file = join(dir, "test.db");
  server = await startHranaServer({ path: file, authToken: "secret-token" });
  client = createWebClient({ url: server.url, authToken: "secret-token" });
});

afterAll(async () => {
  client?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Reads the file directly, bypassing the server, to prove data really landed there. */
async function readFile(sql: string) {
  const direct = createFileClient({ url: `file:${file}` });
  try {
    return (await direct.execute(sql)).rows;
  } finally {
    direct.close();
  }
}

describe("Hrana dev server with @libsql/client/web", () => {
  it("executes statements and round-trips every value type", async () => {
    await client.execute(
      "CREATE TABLE things (id INTEGER PRIMARY KEY, big INTEGER, ratio REAL, label TEXT, data BLOB, missing TEXT)",
    );
    const inserted = await client.execute({
      sql: "INSERT INTO things (big, ratio, label, data, missing) VALUES (?, ?, ?, ?, ?)",
      args: [9007199254740993n, 2.5, "héllo ✓", new Uint8Array([0, 1, 254, 255]), null],
    });
    expect(inserted.rowsAffected).toBe(1);
    expect(inserted.lastInsertRowid).toBe(1n);

    const bigClient = createWebClient({ url: server.url, authToken: "secret-token", intMode: "bigint" });
    try {
      const result = await bigClient.execute("SELECT id, big, ratio, label, data, missing FROM things");
      expect(result.columns).toEqual(["id", "big", "ratio", "label", "data", "missing"]);
      expect(result.columnTypes).toEqual(["INTEGER", "INTEGER", "REAL", "TEXT", "BLOB", "TEXT"]);
      const row = result.rows[0]!;
      expect(row.id).toBe(1n);
      expect(row.big).toBe(9007199254740993n); // beyond 2^53: integers travel as strings
      expect(row.ratio).toBe(2.5);
      expect(row.label).toBe("héllo ✓");
      expect(new Uint8Array(row.data as ArrayBuffer)).toEqual(new Uint8Array([0, 1, 254, 255]));
      expect(row.missing).toBeNull();
      expect(result.rowsAffected).toBe(0);
    } finally {
      bigClient.close();
    }

    expect(await readFile("SELECT label FROM things")).toEqual([expect.objectContaining({ label: "héllo ✓" })]);
  });

  it("binds named arguments and counts rows written by RETURNING statements", async () => {
    const returned = await client.execute({
      sql: "INSERT INTO things (label, ratio) VALUES (:label, $ratio) RETURNING id, label",
      args: { label: "named", ratio: 0.5 },
    });
    expect(returned.rows[0]?.label).toBe("named");
    expect(returned.rowsAffected).toBe(1);
    const updated = await client.execute({ sql: "UPDATE things SET ratio = ratio + 1 WHERE label = @l", args: { l: "named" } });
    expect(updated.rowsAffected).toBe(1);
  });

  it("reports SQLite errors with their codes", async () => {
    await client.execute("CREATE TABLE uniq (k TEXT UNIQUE)");
    await client.execute("INSERT INTO uniq VALUES ('a')");
    const duplicate = await client.execute("INSERT INTO uniq VALUES ('a')").catch((e) => e);
    expect(duplicate).toBeInstanceOf(LibsqlError);
    expect(duplicate.code).toBe("SQLITE_CONSTRAINT");
    expect(duplicate.message).toMatch(/UNIQUE constraint failed: uniq\.k/);

    const syntax = await client.execute("SELEC nonsense").catch((e) => e);
    expect(syntax).toBeInstanceOf(LibsqlError);
    expect(syntax.code).toBe("SQLITE_ERROR");
  });

  it("runs a batch atomically: all of it, or none of it", async () => {
    await client.execute("CREATE TABLE ledger (n INTEGER UNIQUE)");
    const results = await client.batch(
      [
        { sql: "INSERT INTO ledger VALUES (?)", args: [1] },
        { sql: "INSERT INTO ledger VALUES (?)", args: [2] },
        "SELECT count(*) AS c FROM ledger",
      ],
      "write",
    );
    expect(results.map((r) => r.rowsAffected)).toEqual([1, 1, 0]);
    expect(results[2]?.rows[0]?.c).toBe(2);

    const failed = await client
      .batch(["INSERT INTO ledger VALUES (3)", "INSERT INTO ledger VALUES (1)", "INSERT INTO ledger VALUES (4)"], "write")
      .catch((e) => e);
    expect(failed).toBeInstanceOf(LibsqlError);
    expect(failed.code).toBe("SQLITE_CONSTRAINT");
    // The conditional ROLLBACK step ran: 3 is gone too.
    expect(await readFile("SELECT n FROM ledger ORDER BY n")).toEqual([
      expect.objectContaining({ n: 1 }),
      expect.objectContaining({ n: 2 }),
    ]);
  });

  it("keeps an interactive transaction open across requests with batons", async () => {
    await client.execute("CREATE TABLE accounts (name TEXT PRIMARY KEY, balance INTEGER)");
    await client.execute("INSERT INTO accounts VALUES ('a', 10), ('b', 0)");

    const tx = await client.transaction("write");
    await tx.execute("UPDATE accounts SET balance = balance - 4 WHERE name = 'a'");
    await tx.execute("SAVEPOINT inner_step");
    await tx.execute("UPDATE accounts SET balance = balance + 100 WHERE name = 'b'");
    await tx.execute("ROLLBACK TO inner_step");
    await tx.execute("UPDATE accounts SET balance = balance + 4 WHERE name = 'b'");
    const inside = await tx.execute("SELECT balance FROM accounts WHERE name = 'b'");
    expect(inside.rows[0]?.balance).toBe(4);

    // Another stream waits for the writer's turn instead of failing with SQLITE_BUSY.
    const otherRead = client.execute("SELECT sum(balance) AS total, max(balance) AS top FROM accounts");
    await tx.commit();
    expect((await otherRead).rows[0]).toMatchObject({ total: 10, top: 6 });

    const rolledBack = await client.transaction("write");
    await rolledBack.execute("DELETE FROM accounts");
    await rolledBack.rollback();
    expect(await readFile("SELECT name, balance FROM accounts ORDER BY name")).toEqual([
      expect.objectContaining({ name: "a", balance: 6 }),
      expect.objectContaining({ name: "b", balance: 4 }),
    ]);
  });

  it("runs executeMultiple and drizzle's migrator", async () => {
    await client.executeMultiple("CREATE TABLE m1 (x); INSERT INTO m1 VALUES (1); INSERT INTO m1 VALUES (2);");
    expect((await client.execute("SELECT count(*) AS c FROM m1")).rows[0]?.c).toBe(2);

    const migrations = join(dir, "migrations");
    mkdirSync(join(migrations, "meta"), { recursive: true });
    writeFileSync(
      join(migrations, "meta", "_journal.json"),
      JSON.stringify({
        version: "7",
        dialect: "sqlite",
        entries: [{ idx: 0, version: "6", when: 1764000000000, tag: "0000_first", breakpoints: true }],
      }),
    );
    writeFileSync(
      join(migrations, "0000_first.sql"),
      "CREATE TABLE `widgets` (`id` integer PRIMARY KEY NOT NULL, `name` text NOT NULL);\n--> statement-breakpoint\nCREATE UNIQUE INDEX `widgets_name` ON `widgets` (`name`);",
    );
    const orm = drizzle(client);
    await migrate(orm, { migrationsFolder: migrations });
    await migrate(orm, { migrationsFolder: migrations }); // applied migrations are skipped
    expect(await readFile("SELECT count(*) AS c FROM __drizzle_migrations")).toEqual([expect.objectContaining({ c: 1 })]);
    expect(await readFile("SELECT name FROM sqlite_master WHERE name = 'widgets_name'")).toHaveLength(1);
  });

  it("rejects a wrong auth token", async () => {
    const intruder = createWebClient({ url: server.url, authToken: "wrong" });
    try {
      const error = await intruder.execute("SELECT 1").catch((e) => e);
      expect(error).toBeInstanceOf(LibsqlError);
      expect(error.message).toMatch(/auth token/i);
    } finally {
      intruder.close();
    }
  });
});

describe("Hrana dev server stream expiry", () => {
  it("rolls back an abandoned transaction and frees the writer's turn", async () => {
    const expiring = await startHranaServer({ path: join(dir, "expiry.db"), idleStreamTimeoutMs: 200 });
    const c = createWebClient({ url: expiring.url });
    try {
      await c.execute("CREATE TABLE t (x)");
      const tx = await c.transaction("write");
      await tx.execute("INSERT INTO t VALUES (1)");
      await new Promise((r) => setTimeout(r, 1500));
      const late = await tx.execute("INSERT INTO t VALUES (2)").catch((e) => e);
      expect(late).toBeInstanceOf(LibsqlError);
      expect(late.code).toBe("STREAM_EXPIRED");
      // Nothing from the abandoned transaction survived, and other streams are not stuck.
      expect((await c.execute("SELECT count(*) AS c FROM t")).rows[0]?.c).toBe(0);
    } finally {
      c.close();
      await expiring.close();
    }
  });
});
