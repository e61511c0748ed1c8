// duckdb_count.mjs - DuckDB peer for bench/trail/run.sh: count the CIS 4.1
// (intended logic) matches over CloudTrail .json.gz delivery files with
// read_json, on a given number of threads.  Prints: count seconds
//   node duckdb_count.mjs 'DIR/**/*.json.gz' THREADS
import { DuckDBInstance } from '@duckdb/node-api';

const [glob, threads] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads: String(threads || 2) });
const con = await db.connect();
const q = `
SELECT count(*) AS n FROM (
  SELECT unnest(Records) AS r FROM read_json('${glob.replace(/'/g, "''")}',
    columns = {'Records': 'STRUCT(errorCode VARCHAR, sourceIPAddress VARCHAR, eventName VARCHAR)[]'},
    maximum_object_size = 268435456)
) WHERE (r.errorCode LIKE '%UnauthorizedOperation' OR r.errorCode LIKE 'AccessDenied%')
  AND coalesce(r.sourceIPAddress, '') <> 'delivery.logs.amazonaws.com'
  AND coalesce(r.eventName, '') <> 'HeadBucket'`;
const t0 = process.hrtime.bigint();
const reader = await con.runAndReadAll(q);
const t1 = process.hrtime.bigint();
const n = reader.getRows()[0][0];
console.log(`${n} ${(Number(t1 - t0) / 1e9).toFixed(3)}`);
