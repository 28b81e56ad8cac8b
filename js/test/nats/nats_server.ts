// SPDX-License-Identifier: Apache-2.0
// A nats-server for a test or a benchmark: on 127.0.0.1 and a port the
// system chooses (-p -1, read back from its log), ready when the log says so
// (a bounded wait); stop() kills it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The nats-server executable: on PATH, or in /usr/sbin where Debian puts it; undefined if none. */
export function natsServerExecutable(): string | undefined {
  const directories = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const directory of directories) {
    if (!directory) continue;
    const candidate = join(directory, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there: the next directory.
    }
  }
  return undefined;
}

export interface NatsServer {
  /** "127.0.0.1:<port>". */
  url: string;
  stop(): Promise<void>;
}

/** Starts nats-server; rejects if it exits or is not ready within startTimeoutMs. */
export function startNatsServer(executable: string, startTimeoutMs = 15_000): Promise<NatsServer> {
  const child: ChildProcess = spawn(executable, ['-a', '127.0.0.1', '-p', '-1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`nats-server was not ready within ${startTimeoutMs} ms; its log:\n${log}`));
    }, startTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited (${code}) before it was ready; its log:\n${log}`));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const port = /Listening for client connections on 127\.0\.0\.1:(\d+)/.exec(log)?.[1];
      if (port === undefined || !log.includes('Server is ready')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stderr!.removeAllListeners('data');
      child.stderr!.resume();
      resolve({ url: `127.0.0.1:${port}`, stop });
    });
  });
}
