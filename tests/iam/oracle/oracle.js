#!/usr/bin/env node
// oracle.js - run each case of a JSON-lines file through the reference
// simulator, @cloud-copilot/iam-simulate (AGPL-3.0, used only as a separate
// test-time process), and print one decision per line in AWS's words:
// allowed | explicitDeny | implicitDeny | error: ...
'use strict';
const fs = require('fs');
const readline = require('readline');
const { runSimulation } = require('@cloud-copilot/iam-simulate');

const words = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' };

async function main() {
  const input = process.argv[2] && process.argv[2] !== '-' ? fs.createReadStream(process.argv[2]) : process.stdin;
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  const out = [];
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let n = 0;
  for await (const line of rl) {
    if (!line.trim()) continue;
    const c = JSON.parse(line);
    const sim = {
      request: {
        principal: c.principal,
        action: c.action,
        resource: { resource: c.resource, accountId: c.resource_account },
        contextVariables: c.context || {},
      },
      identityPolicies: (c.identity || []).map((p, i) => ({ name: `identity${i}`, policy: p })),
      serviceControlPolicies: (c.scp || []).map((lv, i) => ({ orgIdentifier: `ou-${i}`, policies: lv.map((p, k) => ({ name: `scp${i}-${k}`, policy: p })) })),
      resourceControlPolicies: (c.rcp || []).map((lv, i) => ({ orgIdentifier: `ou-${i}`, policies: lv.map((p, k) => ({ name: `rcp${i}-${k}`, policy: p })) })),
    };
    if (c.resource_policy) sim.resourcePolicy = c.resource_policy;
    if (c.boundary) sim.permissionBoundaryPolicies = [{ name: 'boundary', policy: c.boundary }];
    if (c.session) sim.sessionPolicy = c.session;
    let word;
    try {
      const r = await runSimulation(sim, {});
      word = r.resultType === 'error' ? 'error: ' + JSON.stringify(r.errors).slice(0, 300) : (words[r.overallResult] || 'error: ' + r.overallResult);
    } catch (e) {
      word = 'error: ' + String(e.message || e).slice(0, 200);
    }
    out.push(word);
    n++;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
  // Wall time, and CPU time (what "per core" means when the machine is busy).
  if (process.env.ORACLE_TIMING) process.stderr.write(`oracle: ${n} evaluations in ${secs.toFixed(3)} s (${cpu.toFixed(3)} s of CPU): ${(n / secs).toFixed(0)} evaluations/s, ${(n / cpu).toFixed(0)} per CPU second\n`);
}
main();
