#!/usr/bin/env node
// gen.js - random IAM evaluation cases for differential testing of rampart
// against the reference simulator.  Deterministic for a seed.
//
// usage: node gen.js SEED COUNT > cases.jsonl
// Each line is one case in the format `rampart iam eval-batch` reads.
'use strict';

function rng(seed) { // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seed = parseInt(process.argv[2] || '1', 10);
const count = parseInt(process.argv[3] || '100', 10);
const R = rng(seed);
const pick = (xs) => xs[Math.floor(R() * xs.length)];
const chance = (p) => R() < p;
const some = (xs, max) => { const n = 1 + Math.floor(R() * max); const out = []; for (let i = 0; i < n; i++) out.push(pick(xs)); return [...new Set(out)]; };

const A = '111122223333', B = '444455556666';
const REGION = 'eu-west-2';

// Requests: real actions with a resource of the type each one needs.
const requests = [
  { action: 'dynamodb:GetItem', svc: 'dynamodb', res: (acct) => `arn:aws:dynamodb:${REGION}:${acct}:table/Patients` },
  { action: 'dynamodb:PutItem', svc: 'dynamodb', res: (acct) => `arn:aws:dynamodb:${REGION}:${acct}:table/Patients` },
  { action: 'dynamodb:DeleteTable', svc: 'dynamodb', res: (acct) => `arn:aws:dynamodb:${REGION}:${acct}:table/Appointments` },
  { action: 's3:GetObject', svc: 's3', res: () => 'arn:aws:s3:::clinic-records/blue/x-ray.png' },
  { action: 's3:PutObject', svc: 's3', res: () => 'arn:aws:s3:::clinic-records/red/notes.txt' },
  { action: 'secretsmanager:GetSecretValue', svc: 'secretsmanager', res: (acct) => `arn:aws:secretsmanager:${REGION}:${acct}:secret:db-AbCdEf` },
  { action: 'kms:Decrypt', svc: 'kms', res: (acct) => `arn:aws:kms:${REGION}:${acct}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
  { action: 'lambda:InvokeFunction', svc: 'lambda', res: (acct) => `arn:aws:lambda:${REGION}:${acct}:function:Appointments` },
  { action: 'iam:PassRole', svc: 'iam', res: (acct) => `arn:aws:iam::${acct}:role/AppRole` },
];

const actionPatterns = {
  dynamodb: ['dynamodb:GetItem', 'dynamodb:Get*', 'dynamodb:*', 'DynamoDB:getitem', 'dynamodb:*Item', 'dynamodb:Get?tem', 'dynamodb:PutItem', 'dynamodb:Delete*'],
  s3: ['s3:GetObject', 's3:*', 's3:Get*', 's3:*Object', 'S3:putobject'],
  secretsmanager: ['secretsmanager:GetSecretValue', 'secretsmanager:*', 'secretsmanager:Get*'],
  kms: ['kms:Decrypt', 'kms:*', 'kms:De*'],
  lambda: ['lambda:InvokeFunction', 'lambda:*', 'lambda:Invoke*'],
  iam: ['iam:PassRole', 'iam:*', 'iam:Pass*'],
};
const allPatterns = ['*', ...Object.values(actionPatterns).flat()];

const resourcePatterns = (acct) => ({
  dynamodb: [`arn:aws:dynamodb:${REGION}:${acct}:table/Patients`, `arn:aws:dynamodb:*:${acct}:table/*`, `arn:aws:dynamodb:${REGION}:${acct}:table/Pat*`,
    `arn:aws:dynamodb:${REGION}:${acct}:table/patients`, `arn:aws:dynamodb:${REGION}:*:table/Appointments`, `arn:aws:dynamodb:*:*:*`],
  s3: ['arn:aws:s3:::clinic-records/*', 'arn:aws:s3:::clinic-records/blue/*', 'arn:aws:s3:::clinic-records/${aws:PrincipalTag/team}/*',
    'arn:aws:s3:::clinic-records/*/notes.txt', 'arn:aws:s3:::clinic-records/${aws:PrincipalTag/team, \'red\'}/*', 'arn:aws:s3:::*'],
  secretsmanager: [`arn:aws:secretsmanager:${REGION}:${acct}:secret:db-*`, `arn:aws:secretsmanager:*:*:secret:*`, `arn:aws:secretsmanager:${REGION}:${acct}:secret:db-AbCdEf`],
  kms: [`arn:aws:kms:${REGION}:${acct}:key/*`, `arn:aws:kms:*:${acct}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
  lambda: [`arn:aws:lambda:${REGION}:${acct}:function:*`, `arn:aws:lambda:${REGION}:${acct}:function:Appointments`, `arn:aws:lambda:${REGION}:${acct}:function:Appoint?ents`],
  iam: [`arn:aws:iam::${acct}:role/*`, `arn:aws:iam::${acct}:role/AppRole`, `arn:aws:iam::*:role/App*`],
});

// Condition operators, keys and values (types matched).
const condSpecs = [
  { ops: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
    keys: ['aws:PrincipalTag/team', 'aws:RequestedRegion'], values: ['blue', 'Blue', 'bl*', 'eu-west-2', 'eu-*', 'red', '?ed'] },
  { ops: ['NumericLessThan', 'NumericGreaterThan', 'NumericEquals', 'NumericLessThanEquals', 'NumericNotEquals'],
    keys: ['aws:MultiFactorAuthAge'], values: ['300', '3600', '100'] },
  { ops: ['DateLessThan', 'DateGreaterThan', 'DateGreaterThanEquals', 'DateNotEquals'],
    keys: ['aws:CurrentTime'], values: ['2025-01-01T00:00:00Z', '2030-01-01T00:00:00Z', '1767225600'] },
  { ops: ['Bool'], keys: ['aws:MultiFactorAuthPresent', 'aws:SecureTransport'], values: ['true', 'false'] },
  { ops: ['IpAddress', 'NotIpAddress'], keys: ['aws:SourceIp'], values: ['203.0.113.0/24', '10.0.0.0/8', '2001:db8::/32'] },
  { ops: ['ArnLike', 'ArnNotLike', 'ArnEquals'], keys: ['aws:SourceArn'],
    values: [`arn:aws:lambda:${REGION}:${A}:function:*`, `arn:aws:lambda:*:*:*`, `arn:aws:s3:::*`] },
  { ops: ['Null'], keys: ['aws:PrincipalTag/team', 'aws:SourceIp', 'aws:TokenIssueTime'], values: ['true', 'false'] },
  { ops: ['ForAllValues:StringEquals', 'ForAnyValue:StringEquals', 'ForAllValues:StringNotEquals', 'ForAnyValue:StringLike'],
    keys: ['aws:TagKeys'], values: ['team', 'cost', 'sec*'] },
];

function condition() {
  const c = {};
  const n = 1 + Math.floor(R() * 2);
  for (let i = 0; i < n; i++) {
    const spec = pick(condSpecs);
    let op = pick(spec.ops);
    // IfExists on a set operator with an absent key: IfExists says true (E34), ForAnyValue says
    // false (E42); AWS documents neither combination, so random cases leave it out.
    if (op !== 'Null' && !op.startsWith('For') && chance(0.2)) op += 'IfExists';
    const key = pick(spec.keys);
    c[op] = c[op] || {};
    const vals = some(spec.values, 2);
    c[op][key] = vals.length === 1 && chance(0.5) ? vals[0] : vals;
  }
  return c;
}

let requestPrincipal = '';

function statement(kind, acct, svc, withPrincipal) {
  const st = { Effect: chance(0.7) ? 'Allow' : 'Deny' };
  if (chance(0.3)) st.Sid = 'S' + Math.floor(R() * 1000);
  const pats = chance(0.7) ? actionPatterns[svc] : allPatterns;
  const acts = some(pats, 2);
  if (chance(0.12)) st.NotAction = acts.length === 1 ? acts[0] : acts;
  else st.Action = acts.length === 1 ? acts[0] : acts;
  const rp = resourcePatterns(acct)[svc];
  const res = chance(0.25) ? ['*'] : some(rp, 2);
  // NotResource with a variable that may have no value is ambiguous between AWS's rule (the entry
  // matches nothing, so NotResource matches everything: E25) and the simulator (which skips the
  // statement); random cases avoid it and the fixed tests pin AWS's rule.
  if (chance(0.1) && !res.some((r) => r.includes('${'))) st.NotResource = res.length === 1 ? res[0] : res;
  else st.Resource = res.length === 1 ? res[0] : res;
  if (withPrincipal) {
    const roleArn = `arn:aws:iam::${A}:role/AppRole`;
    const choices = ['*', { AWS: '*' }, { AWS: A }, { AWS: `arn:aws:iam::${A}:root` }, { AWS: roleArn },
      { AWS: `arn:aws:sts::${A}:assumed-role/AppRole/session1` }, { AWS: `arn:aws:iam::${A}:user/alice` },
      { AWS: `arn:aws:iam::${B}:root` }, { AWS: [roleArn, `arn:aws:iam::${B}:role/Partner`] }];
    // Deny+NotPrincipal: list a principal fully (itself and its account, plus the role for a
    // session) or only another account's principals.  Listing an account without the principal
    // is left to the fixed regression tests: the simulator exempts the whole account there,
    // while AWS's NotPrincipal page says only the listed principal is exempt (E16).
    if (st.Effect === 'Deny' && chance(0.15))
      st.NotPrincipal = { AWS: chance(0.5) ? fullListing(requestPrincipal)
        : requestPrincipal.split(':')[4] === A ? [`arn:aws:iam::${B}:role/Partner`, `arn:aws:iam::${B}:root`]
          : [`arn:aws:iam::${A}:role/AppRole`, `arn:aws:iam::${A}:root`] };
    else st.Principal = pick(choices);
  }
  if (chance(0.35)) st.Condition = condition();
  return st;
}

function policy(kind, acct, svc, withPrincipal, n) {
  const p = { Version: chance(0.95) ? '2012-10-17' : '2008-10-17', Statement: [] };
  const k = n || 1 + Math.floor(R() * 3);
  for (let i = 0; i < k; i++) p.Statement.push(statement(kind, acct, svc, withPrincipal));
  // Variables need Version 2012-10-17 (E26); the simulator expands them under 2008-10-17 too,
  // so random cases keep variables to 2012 policies (the fixed test E26 pins the rule).
  if (JSON.stringify(p.Statement).includes('${')) p.Version = '2012-10-17';
  return p;
}

// Every name of a principal: itself, its account, and for a session its role.
function fullListing(p) {
  const acct = p.split(':')[4];
  const out = [p, `arn:aws:iam::${acct}:root`];
  const m = p.match(/assumed-role\/([^/]+)\//);
  if (m) out.push(`arn:aws:iam::${acct}:role/${m[1]}`);
  return out;
}

const full = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

function context() {
  const c = {};
  if (chance(0.6)) c['aws:PrincipalTag/team'] = pick(['blue', 'Blue', 'red']);
  if (chance(0.6)) c['aws:RequestedRegion'] = pick(['eu-west-2', 'us-east-1']);
  if (chance(0.5)) c['aws:MultiFactorAuthAge'] = pick(['100', '5000']);
  if (chance(0.5)) c['aws:CurrentTime'] = pick(['2026-11-27T10:00:00Z', '2031-01-01T00:00:00Z']);
  if (chance(0.5)) c['aws:MultiFactorAuthPresent'] = pick(['true', 'false']);
  if (chance(0.5)) c['aws:SecureTransport'] = pick(['true', 'false']);
  if (chance(0.5)) c['aws:SourceIp'] = pick(['203.0.113.5', '10.1.2.3', '2001:db8::1']);
  if (chance(0.5)) c['aws:SourceArn'] = pick([`arn:aws:lambda:${REGION}:${A}:function:Appointments`, 'arn:aws:s3:::clinic-records']);
  if (chance(0.5)) c['aws:TagKeys'] = pick([[], ['team'], ['team', 'cost'], ['secret']]);
  if (chance(0.3)) c['aws:TokenIssueTime'] = '2026-11-27T09:00:00Z';
  return c;
}

for (let i = 0; i < count; i++) {
  const rq = pick(requests);
  const principal = pick([`arn:aws:iam::${A}:role/AppRole`, `arn:aws:sts::${A}:assumed-role/AppRole/session1`,
    `arn:aws:iam::${A}:user/alice`, `arn:aws:sts::${B}:assumed-role/Partner/s2`]);
  const pacct = principal.split(':')[4];
  requestPrincipal = principal;
  const racct = chance(0.8) ? A : B;
  const c = { principal, action: rq.action, resource: rq.res(racct), resource_account: racct, context: context() };
  c.identity = [];
  const nid = Math.floor(R() * 3);
  for (let k = 0; k < nid; k++) c.identity.push(policy('identity', racct, rq.svc, false));
  const resourcePolicyServices = ['s3', 'secretsmanager', 'kms', 'lambda', 'dynamodb'];
  // A KMS key always has a key policy.
  if (resourcePolicyServices.includes(rq.svc) && (rq.svc === 'kms' || chance(0.4))) {
    c.resource_policy = policy('resource', racct, rq.svc, true);
    c.resource_policy_kind = rq.svc === 'kms' ? 'kms' : 'resource';
  }
  if (chance(0.25)) c.boundary = policy('boundary', racct, rq.svc, false);
  if (principal.includes('assumed-role') && chance(0.2)) c.session = policy('session', racct, rq.svc, false, 1);
  if (chance(0.25)) {
    c.scp = [];
    const levels = 1 + Math.floor(R() * 3);
    for (let l = 0; l < levels; l++) c.scp.push(chance(0.6) ? [full] : [chance(0.5) ? full : policy('scp', racct, rq.svc, false), policy('scp', racct, rq.svc, false)]);
  }
  if (chance(0.15)) {
    // Customer RCPs deny only, with Action (not NotAction, not "*"); RCPFullAWSAccess is implied.
    const st = statement('rcp', racct, rq.svc, false);
    st.Effect = 'Deny';
    st.Principal = '*';
    const acts = [].concat(st.Action || st.NotAction).filter((a) => a !== '*');
    delete st.NotAction;
    st.Action = acts.length ? acts : [actionPatterns[rq.svc][0]];
    c.rcp = [[{ Version: '2012-10-17', Statement: [st] }]];
  }
  if (pacct === racct && !c.identity.length && !c.resource_policy && chance(0.5)) c.identity.push(full);
  process.stdout.write(JSON.stringify(c) + '\n');
}
