import pg from "pg";
const pool = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:5432/accbench", max: 4, options: process.env.PGOPTS });
import { DeliveryStream, INGESTION_MIX } from "../dist/bench/lib/deliveries.js";
const stream = new DeliveryStream({ secret: "x", installationId: 1, org: "o", repos: ["o/a","o/b"], mix: INGESTION_MIX, seed: 1 });
const bodies = Array.from({ length: 500 }, () => stream.next().body);
const body0 = JSON.stringify({ action: "created", comment: { body: "x".repeat(200), user: { login: "a", id: 1 } }, pad: Array.from({ length: 120 }, (_, i) => ({ k: "key" + i, v: "value-" + i + "-".repeat(20) })) });

async function setup(storage) {
  await pool.query("drop table if exists acc_test");
  await pool.query("create table acc_test (id text primary key, event text, installation_id bigint, action text, received_at timestamptz not null default now(), body text)");
  if (storage === "lz4") await pool.query(`alter table acc_test alter column body set compression lz4`);
  else if (storage) await pool.query(`alter table acc_test alter column body set storage ${storage}`);
  await pool.query("create index on acc_test (received_at, id) where body is not null");
}
let n = 0;
async function run(label, withJob, total = 6000) {
  let queue = [], running = 0; const MAXC = Number(process.env.MAXC ?? 1);
  const commit = async (items) => {
    const params = [], rows = [];
    items.forEach((d, i) => { params.push(d.id, 1, "issue_comment", "created", d.body); const a = i * 5; rows.push(`($${a+1},$${a+2}::bigint,$${a+3},$${a+4},$${a+5})`); });
    const kick = withJob ? `, kicked as (select graphile_worker.add_job('acc-test', '{}'::json, job_key := 'acc-test', job_key_mode := 'replace') where exists (select 1 from inserted))` : "";
    await pool.query(`with inserted as (insert into acc_test (id, installation_id, event, action, body) values ${rows.join(",")} on conflict (id) do nothing returning id)${kick} select (select count(*) from inserted) ${withJob ? ", (select count(*) from kicked)" : ""}`, params);
  };
  const loop = async () => { running++; while (queue.length) { const b = queue.splice(0, 200); try { await commit(b.map(w => w.item)); b.forEach(w => w.res()); } catch (e) { b.forEach(w => w.rej(e)); } } running--; };
  const accept = (item) => new Promise((res, rej) => { queue.push({ item, res, rej }); if (running < MAXC) loop(); });
  let i = 0; const t0 = performance.now(); const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: 10 }, async () => { while (i < total) { i++; await accept({ id: `d${n++}`, body: bodies[n % 500] }); } }));
  const s = (performance.now() - t0) / 1000; const c = process.cpuUsage(c0);
  console.log(label, Math.round(total / s), "/s", "node cpu ms/delivery", ((c.user + c.system) / 1000 / total).toFixed(3));
}
for (const storage of (process.env.STORAGES ?? "external,lz4").split(",").map(x => x === "null" ? null : x)) { await setup(storage); await run(`storage=${storage} nojob`, false);  }
await pool.query("delete from graphile_worker._private_jobs where task_id in (select id from graphile_worker._private_tasks where identifier='acc-test')");
await pool.query("drop table acc_test");
await pool.end();
