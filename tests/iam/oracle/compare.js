#!/usr/bin/env node
// compare.js - compare rampart's decisions with the reference simulator's.
//
// usage: node compare.js CASES.jsonl ORACLE.txt RAMPART.txt
// Prints "ok ..." / "FAIL ..." lines for tests/run.sh and a summary.
// A disagreement is accepted only when it falls under a documented
// deviation of the simulator from AWS's published rules (below); every
// other disagreement fails, with the case printed for a regression test.
'use strict';
const fs = require('fs');
const [casesFile, oracleFile, oursFile] = process.argv.slice(2);
const cases = fs.readFileSync(casesFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const oracle = fs.readFileSync(oracleFile, 'utf8').split('\n');
const ours = fs.readFileSync(oursFile, 'utf8').split('\n');

const stmts = (p) => (p ? [].concat(p.Statement || []) : []);
const listed = (st) => [].concat(st.Principal && st.Principal.AWS || []).map(String);

// Known deviations of @cloud-copilot/iam-simulate 0.1.173 from AWS's documentation.
const deviations = [
  {
    id: 'notprincipal-with-boundary',
    why: 'with a permissions boundary present, the simulator stops exempting the principals a Deny+NotPrincipal lists; ' +
      'AWS documents no such interaction (NotPrincipal page): rampart keeps them exempt',
    applies: (c) => !!c.boundary && stmts(c.resource_policy).some((s) => s.Effect === 'Deny' && s.NotPrincipal),
  },
  {
    id: 'session-arn-grant-limited-by-session-policy',
    why: 'a resource policy naming the assumed-role session ARN is not limited by the session policy ' +
      '(IAM User Guide, session policies; reference rule E6); the simulator limits it',
    applies: (c) => !!c.session && stmts(c.resource_policy).some((s) => s.Effect === 'Allow' && listed(s).includes(c.principal)),
  },
];

let agree = 0, explained = 0, errors = 0;
const counts = {};
const unexplained = [];
for (let i = 0; i < cases.length; i++) {
  const o = oracle[i], r = ours[i];
  if (o && o.startsWith('error')) { errors++; continue; }
  if (o === r) { agree++; continue; }
  const d = deviations.find((x) => x.applies(cases[i]));
  if (d) { explained++; counts[d.id] = (counts[d.id] || 0) + 1; continue; }
  unexplained.push(i);
}
console.log(`${cases.length} cases: ${agree} agree, ${explained} differ under a documented simulator deviation, ` +
  `${unexplained.length} unexplained, ${errors} rejected by the simulator`);
for (const d of deviations) if (counts[d.id]) console.log(`  deviation ${d.id}: ${counts[d.id]} (${d.why})`);
if (errors) console.log(`FAIL oracle rejected ${errors} generated cases (the generator must produce valid policies)`);
else console.log('ok oracle accepted every generated case');
if (unexplained.length) {
  console.log(`FAIL ${unexplained.length} unexplained disagreements with the simulator; first cases:`);
  for (const i of unexplained.slice(0, 5)) console.log(`  case ${i + 1}: oracle ${oracle[i]}, rampart ${ours[i]}: ${JSON.stringify(cases[i])}`);
} else {
  console.log('ok no unexplained disagreement with the simulator');
}
process.exit(unexplained.length || errors ? 1 : 0);
