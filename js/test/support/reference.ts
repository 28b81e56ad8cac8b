// SPDX-License-Identifier: Apache-2.0
// The reference codec: `wirekit encode` of a message's JSON form.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = new URL('../../../../', import.meta.url);
const wirekit = fileURLToPath(new URL('codegen/bin/wirekit', root));

/** The bytes `wirekit encode` writes for `message` (the JSON form, bigints as
 * JSON numbers: all their digits) of `schema` (a path from the repository's root). */
export function reference(schema: string, message: object): Uint8Array {
  const json = JSON.stringify(message, (_, value: unknown) => (typeof value === 'bigint' ? `#${value}#` : value));
  const output = execFileSync(wirekit, ['encode', fileURLToPath(new URL(schema, root))], {
    input: json.replace(/"#(-?\d+)#"/g, '$1') + '\n',
  });
  return new Uint8Array(output.buffer, output.byteOffset, output.byteLength);
}
