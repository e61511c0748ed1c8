// peers.js - the peers bench/run.sh measures beside rampart, over the same files.
//
// DIR may also be @LIST, a file naming one template a line.
//
//   node peers.js jsyaml DIR   parse only: every *.yaml/*.yml/*.json/*.template under DIR
//                              read with js-yaml (CloudFormation short tags accepted);
//                              counts the entries of each template's Resources.
//   node peers.js cfnlint DIR  validate: cfn-lint (npm, the JavaScript CloudFormation
//                              validator) on each file: it parses, expands SAM, resolves
//                              intrinsics and checks properties against the resource spec.
//
// One process for the whole directory, as rampart does.  Prints one JSON line
// with what it did (files, ok, failed, resources) on stdout.
'use strict';
const fs = require('fs');
const path = require('path');

function walk(dir, out) {
	for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) walk(p, out);
		else if (e.isFile() && /\.(ya?ml|json|template)$/.test(e.name)) out.push(p);
	}
	return out;
}

function cfnSchema(yaml) {
	const tags = ['Ref', 'Condition', 'GetAtt', 'Sub', 'If', 'Join', 'Select', 'Split', 'FindInMap',
		'ImportValue', 'GetAZs', 'Base64', 'Cidr', 'Equals', 'And', 'Or', 'Not', 'Transform',
		'Length', 'ToJsonString', 'ForEach'];
	const types = [];
	for (const t of tags) {
		const key = t === 'Ref' || t === 'Condition' ? t : 'Fn::' + t;
		for (const kind of ['scalar', 'sequence', 'mapping']) {
			types.push(new yaml.Type('!' + t, {
				kind,
				construct: (data) => {
					if (t === 'GetAtt' && typeof data === 'string') {
						const i = data.indexOf('.');
						data = [data.slice(0, i), data.slice(i + 1)];
					}
					return { [key]: data };
				},
			}));
		}
	}
	return yaml.DEFAULT_SCHEMA.extend(types);
}

function main() {
	const [mode, dir] = process.argv.slice(2);
	const files = dir.startsWith('@')
		? fs.readFileSync(dir.slice(1), 'utf8').split('\n').filter((l) => l.length > 0)
		: walk(dir, []);
	let ok = 0, failed = 0, resources = 0;
	if (mode === 'jsyaml') {
		const yaml = require('js-yaml');
		const schema = cfnSchema(yaml);
		for (const f of files) {
			try {
				const doc = yaml.load(fs.readFileSync(f, 'utf8'), { schema, filename: f });
				if (doc && typeof doc.Resources === 'object' && doc.Resources)
					resources += Object.keys(doc.Resources).length;
				ok++;
			} catch (e) {
				failed++;
			}
		}
	} else if (mode === 'cfnlint') {
		const cfn = require('cfn-lint');
		for (const f of files) {
			try {
				const r = cfn.validateFile(f, {});
				if (r && r.templateValid) ok++;
				else failed++;
			} catch (e) {
				failed++;
			}
		}
	} else {
		console.error('usage: node peers.js jsyaml|cfnlint DIR');
		process.exit(2);
	}
	console.log(JSON.stringify({ mode, files: files.length, ok, failed, resources }));
}

main();
