// SPDX-License-Identifier: Apache-2.0
// Runs a server and a client against each other on a free loopback port: the
// server (started with --host 127.0.0.1 --port 0) prints
// "echo_server listening on 127.0.0.1:<port>"; the client gets --host and
// --port. Stops the server afterwards (also on failure or timeout) and exits
// with the client's status.
//
//   node cross.js --server 'CMD ARGS…' --client 'CMD ARGS…' [--timeout 120]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { server: { type: 'string' }, client: { type: 'string' }, timeout: { type: 'string', default: '120' } },
});
if (!values.server || !values.client) {
  console.error("usage: cross.js --server 'CMD ARGS…' --client 'CMD ARGS…' [--timeout 120]");
  process.exit(2);
}
const [serverCommand, ...serverArgs] = values.server.split(' ');
const server = spawn(serverCommand!, [...serverArgs, '--host', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
const timer = setTimeout(() => finish(1, `timed out after ${values.timeout} s`), Number(values.timeout) * 1000);
let started = false;

function finish(status: number, why = ''): void {
  clearTimeout(timer);
  if (why) console.error(`cross: ${why}`);
  server.kill('SIGTERM');
  server.once('exit', () => {
    process.stdout.write(log.replace(/^/gm, '  server: '));
    process.exit(status);
  });
}

server.on('exit', (code) => {
  if (!started) finish(1, `the server exited (${code}) before listening`);
});
server.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
server.stdout.on('data', (chunk: Buffer) => {
  log += chunk.toString();
  const port = /echo_server listening on 127\.0\.0\.1:(\d+)/.exec(log)?.[1];
  if (started || port === undefined) return;
  started = true;
  const [clientCommand, ...clientArgs] = values.client!.split(' ');
  const client = spawn(clientCommand!, [...clientArgs, '--host', '127.0.0.1', '--port', port], { stdio: 'inherit' });
  client.on('exit', (code) => finish(code ?? 1, code === 0 ? '' : `the client failed (${code})`));
});
