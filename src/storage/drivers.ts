import { createRequire } from 'node:module';
import type SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';

/**
 * The two database drivers, each loaded when a database of its kind is first opened: a node on
 * SQLite never holds pg (with its TLS and protocol code), one on PostgreSQL never holds
 * better-sqlite3. Both are CommonJS packages, so `require` loads them synchronously, as
 * `openStorage` is; its `module.exports` is what an ES import of either would give.
 */
const require = createRequire(import.meta.url);

let sqliteDriver: typeof SqliteDatabase | undefined;
let pgDriver: typeof pg | undefined;

export function loadSqliteDriver(): typeof SqliteDatabase {
  sqliteDriver ??= require('better-sqlite3') as typeof SqliteDatabase;
  return sqliteDriver;
}

/** Cheap once loaded: pg's type parsers ask for it on every result. */
export function loadPgDriver(): typeof pg {
  pgDriver ??= require('pg') as typeof pg;
  return pgDriver;
}
