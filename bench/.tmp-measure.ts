import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSuite } from '../local/src/start';
import { measureTaskpaneLoad } from './taskpane-load';
async function main() {
const suite = await startLocalSuite({ port: 0, dataDir: await mkdtemp(join(tmpdir(), 'tp-')), reset: true, seed: true, log: () => undefined });
try {
  console.log(JSON.stringify(await measureTaskpaneLoad(suite.baseUrl, Number(process.env.LOADS ?? 5)), null, 1));
} finally { await suite.close(); }
}
void main();
