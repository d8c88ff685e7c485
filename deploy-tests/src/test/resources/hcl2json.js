// Parses HCL files with HashiCorp's own parser (hashicorp/hcl, compiled to WebAssembly and published as
// @cdktf/hcl2json) and prints one JSON object: {"<file>": <the file as JSON> | {"__error": "<message>"}}.
// Blocks become objects keyed by label holding arrays of bodies; unlabelled blocks become arrays.
'use strict';
const { parse } = require('@cdktf/hcl2json');
const fs = require('fs');

(async () => {
  const out = {};
  for (const file of process.argv.slice(2)) {
    try {
      out[file] = await parse(file, fs.readFileSync(file, 'utf8'));
    } catch (e) {
      out[file] = { __error: String((e && e.message) || e) };
    }
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(2);
});
