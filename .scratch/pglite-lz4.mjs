import { PGlite } from "@electric-sql/pglite";
const db = new PGlite();
console.log((await db.query("select enumvals from pg_settings where name='default_toast_compression'")).rows);
await db.close();
