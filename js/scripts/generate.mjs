// SPDX-License-Identifier: Apache-2.0
// Generates the TypeScript codecs of every schema the tests and benchmarks use
// into generated/ (with wirekit's test-only transcoders), with the repository's
// own `wirekit` command line.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const js = dirname(dirname(fileURLToPath(import.meta.url)));
const root = dirname(js);
const wirekit = join(root, 'codegen', 'bin', 'wirekit');
const schemas = [];
for (const folder of ['schemas/examples', 'schemas/test']) {
  for (const name of readdirSync(join(root, folder)).sort()) {
    // Files that only hold types for others to import are not schemas of their own.
    if (name.endsWith('.wk') && !name.endsWith('_common.wk')) schemas.push(join(root, folder, name));
  }
}
schemas.push(join(root, 'bench', 'schemas', 'bench.wk'));
for (const schema of schemas) {
  execFileSync(wirekit, ['generate', '--lang', 'ts', '--transcoder', schema, '-o', join(js, 'generated')], { stdio: 'inherit' });
}
