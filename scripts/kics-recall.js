#!/usr/bin/env node
// kics-recall.js - measure rampart against KICS's own CloudFormation test
// samples (../shared/corpus/kics-cfn): for every KICS query that a rampart
// check names as an alias, scan the query's positive samples and count the
// expected (file, line) results rampart reports (recall: by file, and at the
// exact line), and scan its negative samples for findings (false positives).
//
// A third measure, "in-resource", counts an expected result as found when
// rampart reports a finding on the resource whose text holds KICS's line:
// KICS often points at a parent key (SecurityGroupIngress, Properties) where
// rampart points at the offending rule or property inside it, and a file
// with two resources must not count a finding on one as recall on the other.
//
// usage: node scripts/kics-recall.js [RAMPART] [--json] [--min-recall N]
// Exit 1 if file-level recall is below --min-recall (a fraction), else 0.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const args = process.argv.slice(2);
const json = args.includes('--json');
const minIdx = args.indexOf('--min-recall');
const minRecall = minIdx >= 0 ? parseFloat(args[minIdx + 1]) : 0;
const rampart = args.find((a, i) => !a.startsWith('--') && (i === 0 || args[i - 1] !== '--min-recall')) || './rampart';
const corpus = path.join(__dirname, '..', '..', 'shared', 'corpus', 'kics-cfn');

function scan(file, checks) {
  let out;
  try {
    out = execFileSync(rampart, ['scan', '--format', 'json', '--fail-on', 'none', '--checks', checks.join(','), file],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch (e) {
    out = e.stdout; // exit 2: input errors, still a report
  }
  try { return JSON.parse(out); } catch (e) { return { findings: [], errors: [{ message: 'unparseable output' }] }; }
}

// Logical IDs of the template's resources with the line each starts on, read
// from the text by indentation (KICS samples are block YAML or pretty JSON).
function resourceLines(file) {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const out = [];
  let i = lines.findIndex((l) => /^\s*"?Resources"?\s*:/.test(l));
  if (i < 0) return out;
  const base = lines[i].search(/\S/);
  let indent = -1;
  for (i++; i < lines.length; i++) {
    const l = lines[i];
    if (!l.trim() || /^\s*#/.test(l)) continue;
    const ind = l.search(/\S/);
    if (ind <= base && !/^\s*[}\]]/.test(l)) break;
    if (indent < 0) indent = ind;
    if (ind < indent) break;
    const m = ind === indent && l.match(/^\s*"?([A-Za-z0-9]+)"?\s*:/);
    if (m) out.push({ id: m[1], line: i + 1 });
  }
  return out;
}

function resourceAt(file, line) {
  let id = null;
  for (const r of resourceLines(file)) if (r.line <= line) id = r.id;
  return id;
}

const catalogue = JSON.parse(execFileSync(rampart, ['checks', '--format', 'json'], { encoding: 'utf8' })).checks;
const byQuery = new Map();
for (const c of catalogue)
  for (const q of c.controls.kics) {
    if (!byQuery.has(q)) byQuery.set(q, []);
    byQuery.get(q).push(c.id);
  }

const rows = [];
let tot = { expected: 0, file: 0, line: 0, inres: 0, negFiles: 0, negFP: 0 };
for (const dir of fs.readdirSync(corpus).sort()) {
  const q = dir.replace(/^aws(_sam)?__/, '');
  if (!byQuery.has(q)) continue;
  const checks = byQuery.get(q);
  const full = path.join(corpus, dir);
  const expected = JSON.parse(fs.readFileSync(path.join(full, 'positive_expected_result.json'), 'utf8'));
  const results = new Map();
  const get = (f) => {
    if (!results.has(f)) results.set(f, scan(path.join(full, f), checks));
    return results.get(f);
  };
  let file = 0, line = 0, inres = 0;
  const positives = fs.readdirSync(full).filter((f) => f.startsWith('positive') && !f.includes('expected')).sort();
  for (const e of expected) {
    const name = e.fileName || e.filename || (positives.length === 1 ? positives[0] : null);
    if (!name) continue;
    const r = get(name).findings.filter((f) => !f.suppressed);
    if (r.length) file++;
    if (r.some((f) => f.line === e.line)) line++;
    const at = resourceAt(path.join(full, name), e.line);
    const fp = path.join(full, name);
    if (at && r.some((f) => f.resource === at || f.source_resource === at || resourceAt(fp, f.line) === at)) inres++;
  }
  let negFiles = 0, negFP = 0;
  for (const f of fs.readdirSync(full).filter((f) => f.startsWith('negative')).sort()) {
    negFiles++;
    if (scan(path.join(full, f), checks).findings.some((x) => !x.suppressed)) negFP++;
  }
  rows.push({ query: q, checks, expected: expected.length, file, line, inres, negFiles, negFP });
  tot.expected += expected.length; tot.file += file; tot.line += line; tot.inres += inres; tot.negFiles += negFiles; tot.negFP += negFP;
}

const pct = (a, b) => (b ? (100 * a / b).toFixed(1) + '%' : '-');
if (json) {
  console.log(JSON.stringify({ queries: rows, total: tot }, null, 1));
} else {
  console.log('KICS query'.padEnd(58) + 'expected  in-file  at-line  in-resource  negatives-flagged  rampart checks');
  for (const r of rows)
    console.log(r.query.padEnd(58) + String(r.expected).padStart(8) + String(r.file).padStart(9) + String(r.line).padStart(9) + String(r.inres).padStart(13) +
      `${r.negFP}/${r.negFiles}`.padStart(19) + '  ' + r.checks.join(','));
  console.log(`\n${rows.length} KICS queries with a rampart alias; ${tot.expected} expected results: ` +
    `recall ${pct(tot.file, tot.expected)} by file, ${pct(tot.line, tot.expected)} at KICS's exact line, ` +
    `${pct(tot.inres, tot.expected)} on KICS's resource; ` +
    `negative samples flagged: ${tot.negFP}/${tot.negFiles}`);
}
process.exit(tot.expected && tot.file / tot.expected < minRecall ? 1 : 0);
