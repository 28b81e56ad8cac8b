// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

test('the generated module runs in a context without Node globals (browser-safe)', () => {
  const script = fileURLToPath(new URL('./support/vm_check.js', import.meta.url));
  const output = execFileSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', script], { encoding: 'utf8' });
  assert.equal(output.trim(), '{"NewOrder":{"orderId":7,"symbol":"ACME","side":"Buy","ordType":0,"tif":[],"price":{"mantissa":12345,"exponent":-2},"quantity":100,"stopPrice":null,"venue":"XLON","clientTag":0,"legs":[{"legId":3,"ratio":0,"side":0}],"account":"désk","note":""}}');
});
