/**
 * Builds the deployable Functions app into functions/dist: one bundled app.js (every dependency included, so
 * the package needs no node_modules), its source map, host.json, and a package.json whose `main` names the
 * bundle. `teamsapp deploy` zips that folder as the app root. Run: `npx tsx functions/scripts/bundle.ts`.
 *
 * After building it loads the bundle the way the Functions worker does (with a stand-in for the worker's
 * `@azure/functions-core`) and fails if it cannot load or registers no functions. The local suite cannot end up
 * in it: it lives in the local/ workspace, which no production module imports (checked in `npm test`).
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const functionsRoot = resolve(__dirname, '..');
const dist = join(functionsRoot, 'dist');

/** Only the Functions worker provides it, at run time. */
const providedByTheWorker = ['@azure/functions-core'];

async function bundle(): Promise<void> {
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  const result = await build({
    entryPoints: [join(functionsRoot, 'src', 'app.ts')],
    outfile: join(dist, 'app.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    external: providedByTheWorker,
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs);

  const manifest = JSON.parse(await readFile(join(functionsRoot, 'package.json'), 'utf8')) as { name: string; version: string; description: string };
  await writeFile(
    join(dist, 'package.json'),
    `${JSON.stringify({ name: manifest.name, version: manifest.version, description: manifest.description, private: true, main: 'app.js' }, null, 2)}\n`,
  );
  await copyFile(join(functionsRoot, 'host.json'), join(dist, 'host.json'));
  const registered = registrationsOf(join(dist, 'app.js'));
  if (registered.length === 0) throw new Error('The bundle loaded but registered no functions.');
  console.log(
    `${relative(process.cwd(), dist)}: app.js (${inputs.length} modules), host.json, package.json; ${registered.length} functions: ${registered.join(', ')}`,
  );
}

/** Loads the bundle in a fresh Node process, as the worker would, and lists the functions it registers. */
function registrationsOf(bundlePath: string): string[] {
  const probe = `
    const Module = require('node:module');
    const names = [];
    const core = {
      version: '3.10.1', setProgrammingModel() {}, getProgrammingModel() {}, registerHook: () => ({ dispose() {} }), log() {},
      registerFunction(metadata) { names.push(metadata.name); return { dispose() {} }; },
    };
    const load = Module._load;
    Module._load = function (request, ...rest) { return request === '@azure/functions-core' ? core : load.call(this, request, ...rest); };
    console.error = () => {};
    require(${JSON.stringify(bundlePath)});
    process.stdout.write(JSON.stringify(names));
    process.exit(0);
  `;
  // No settings on purpose: composing services fails (and is reported) at start-up, registering must not.
  const output = execFileSync(process.execPath, ['-e', probe], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
  return JSON.parse(output) as string[];
}

bundle().catch((error: unknown) => {
  console.error(`Bundling failed: ${(error as Error).message}`);
  process.exit(1);
});
