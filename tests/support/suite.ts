import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');

// Calling the suite's API and waiting on it are the local suite's (the demo uses them too); tests use them from here.
import { call } from '@asep/local/suite-api';
export { call, eventually, everyPage, untilDone, type ApiResponse } from '@asep/local/suite-api';

export interface RunningSuite {
  baseUrl: string;
  dataDir: string;
  /** Stops the suite the way a person does, with Ctrl-C (SIGINT), and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the suite as a crash or an OOM killer would (SIGKILL): no shutdown code runs. */
  kill(): Promise<void>;
  output(): string;
}

/** Starts the local suite exactly as `npm start` does, on a free port and its own data folder. */
export async function startSuite(options: { dataDir?: string; reset?: boolean; seed?: boolean } = {}): Promise<RunningSuite> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'asep-suite-')));
  const args = ['--import', 'tsx', join(repoRoot, 'local/src/start.ts'), '--port', '0', '--data-dir', dataDir];
  if (options.reset ?? !options.dataDir) args.push('--reset');
  if (options.seed === false) args.push('--no-seed');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const baseUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`The suite did not start within 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /ASEP local suite ready at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`The suite exited with ${code} before it was ready:\n${output}`)));
  });
  return {
    baseUrl: baseUrl.replace('localhost', '127.0.0.1'),
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface Person {
  tenantId: string;
  userId: string;
  name: string;
  token: string;
}

export async function signIn(baseUrl: string, tenantId: string, roles: string[], name = roles.join('+') || 'nobody'): Promise<Person> {
  const userId = `user-${randomUUID()}`;
  const { body, status } = await call<{ access_token: string }>(baseUrl, 'POST', 'dev/token', { json: { tenantId, userId, name, roles } });
  if (status !== 200) throw new Error(`dev/token answered ${status}: ${JSON.stringify(body)}`);
  return { tenantId, userId, name, token: body.access_token };
}

export function newTenantId(): string {
  return randomUUID();
}

export const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
