/**
 * Builds the unified app package (Teams bot + console tab + Outlook add-in) for one environment:
 *   npm run package -- --env dev      (default: $TEAMSFX_ENV, else local)
 * Reads env/.env.<env>, lets the process environment override it (the Agents Toolkit passes values it
 * has just provisioned that way), fills every ${{VAR}} of appPackage/manifest.json, merges the add-in's
 * extension from outlook-addin/manifest-extension.json when it exists, validates offline, and writes
 * appPackage/build/manifest.<env>.json and appPackage/build/appPackage.<env>.zip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, parseEnv } from 'node:util';
import { type AppManifest, AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const appPackageDir = path.join(repoRoot, 'teams-app', 'appPackage');
const require = createRequire(import.meta.url);

export interface PackageOptions {
  env: string;
  /** Where manifest.<env>.json and appPackage.<env>.zip go. */
  outDir: string;
  /** The folder holding .env.<env> files. */
  envDir: string;
  /** The Outlook add-in's entry for the manifest's `extensions`; skipped when the file does not exist. */
  extensionPath: string;
  /** Values that win over the env file (the process environment when run from the command line). */
  overrides: Readonly<Record<string, string | undefined>>;
}

export interface PackageResult {
  manifestPath: string;
  zipPath: string;
  manifest: Record<string, unknown>;
  /** Things the person packaging should know, e.g. that built-in local defaults were used. */
  notes: string[];
}

/** A problem with the inputs, reported as its message alone. */
export class PackagingError extends Error {}

const defaultOptions: PackageOptions = {
  env: 'local',
  outDir: path.join(appPackageDir, 'build'),
  envDir: path.join(repoRoot, 'env'),
  extensionPath: path.join(repoRoot, 'outlook-addin', 'manifest-extension.json'),
  overrides: {},
};

const zeroGuid = '00000000-0000-0000-0000-000000000000';
/** Used for `local` when env/.env.local does not exist: enough to build and validate a package offline. */
const localDefaults: Record<string, string> = {
  TEAMS_APP_ID: zeroGuid,
  BOT_ID: zeroGuid,
  AAD_APP_CLIENT_ID: zeroGuid,
  TAB_ENDPOINT: 'https://localhost:53000',
  TAB_DOMAIN: 'localhost:53000',
  ADDIN_ENDPOINT: 'https://localhost:3000',
  ADDIN_DOMAIN: 'localhost:3000',
  API_DOMAIN: 'localhost:7071',
  APP_NAME_SUFFIX: '-local',
};

/** Variables that may be empty: production has no name suffix. */
const mayBeEmpty = new Set(['APP_NAME_SUFFIX']);

const formats: { applies: RegExp; valid: RegExp; expected: string }[] = [
  { applies: /_ID$/, valid: /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i, expected: 'a GUID' },
  { applies: /_DOMAIN$/, valid: /^[a-z0-9.-]+(:\d+)?$/i, expected: 'a host name with an optional port, without https://' },
  { applies: /_ENDPOINT$/, valid: /^https?:\/\/[^/\s]+(\/\S*[^/\s])?$/i, expected: 'an http(s) URL without a trailing slash' },
];

/** An Outlook mail add-in reads the open item; the add-in's file may ask for more with `authorization`. */
const defaultAddinAuthorization = { permissions: { resourceSpecific: [{ name: 'MailboxItem.Read.User', type: 'Delegated' }] } };

/** Fixed entry dates make the zip depend only on its contents. */
const zipEntryDate = new Date('2025-01-01T00:00:00Z');

const icons = { 'color.png': 192, 'outline.png': 32 } as const;

export async function packageApp(options: Partial<PackageOptions> = {}): Promise<PackageResult> {
  const { env, outDir, envDir, extensionPath, overrides } = { ...defaultOptions, ...options };
  if (!/^[A-Za-z0-9_-]+$/.test(env)) throw new PackagingError(`--env must be a plain name like "dev", got ${JSON.stringify(env)}`);
  const notes: string[] = [];

  const template = readJson(path.join(appPackageDir, 'manifest.json'));
  if (existsSync(extensionPath)) {
    Object.assign(template, addinFragment(readJson(extensionPath), extensionPath));
    notes.push(`Merged the Outlook add-in extension from ${path.relative(repoRoot, extensionPath)}.`);
  } else {
    notes.push(`No ${path.relative(repoRoot, extensionPath)} yet: the package has no Outlook add-in.`);
  }

  const values = environmentValues(env, envDir, overrides, notes);
  const manifest = JSON.parse(substitute(JSON.stringify(template, null, 2), values, env, envDir)) as Record<string, unknown>;
  if (Array.isArray(manifest.validDomains)) manifest.validDomains = [...new Set(manifest.validDomains)];

  const iconFiles = Object.fromEntries(Object.entries(icons).map(([name, size]) => [name, readIcon(path.join(appPackageDir, name), size)]));
  const schemaErrors = await validateAgainstSchema(manifest);
  if (schemaErrors.length) throw new PackagingError(`The ${env} manifest does not match its schema:\n  ${schemaErrors.join('\n  ')}`);

  mkdirSync(outDir, { recursive: true });
  const manifestPath = path.join(outDir, `manifest.${env}.json`);
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(manifestPath, manifestText);
  if (manifest.extensions) validateAddin(manifestPath);

  const zip = new JSZip();
  zip.file('manifest.json', manifestText, { date: zipEntryDate });
  for (const [name, bytes] of Object.entries(iconFiles)) zip.file(name, bytes, { date: zipEntryDate });
  const zipPath = path.join(outDir, `appPackage.${env}.zip`);
  writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { manifestPath, zipPath, manifest, notes };
}

function readJson(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PackagingError(`${path.relative(repoRoot, file)} is not readable JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new PackagingError(`${path.relative(repoRoot, file)} must hold a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * The add-in's file is either one `extensions` entry, or `{ "extensions": [...], "authorization": {...} }`
 * when the add-in needs more than reading the open item.
 */
function addinFragment(content: Record<string, unknown>, file: string): { extensions: unknown[]; authorization: unknown } {
  if (!('extensions' in content)) return { extensions: [content], authorization: defaultAddinAuthorization };
  if (!Array.isArray(content.extensions)) throw new PackagingError(`"extensions" in ${path.relative(repoRoot, file)} must be an array`);
  return { extensions: content.extensions, authorization: content.authorization ?? defaultAddinAuthorization };
}

function environmentValues(env: string, envDir: string, overrides: PackageOptions['overrides'], notes: string[]): Record<string, string | undefined> {
  const envFile = path.join(envDir, `.env.${env}`);
  let fromFile: Record<string, string | undefined>;
  if (existsSync(envFile)) {
    fromFile = parseEnv(readFileSync(envFile, 'utf8'));
  } else if (env === 'local') {
    fromFile = localDefaults;
    notes.push(`No ${path.relative(repoRoot, envFile)}: using built-in local defaults (localhost URLs, zero GUIDs).`);
  } else {
    throw new PackagingError(`No ${envFile}: run provision for "${env}" first, or pick another --env.`);
  }
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined && value !== '');
  return { ...fromFile, ...Object.fromEntries(defined) };
}

/** Fills every ${{VAR}} of JSON text; fails naming each variable that is unset or malformed. */
function substitute(json: string, values: Record<string, string | undefined>, env: string, envDir: string): string {
  const names = [...new Set([...json.matchAll(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g)].map((match) => match[1]!))];
  const missing = names.filter((name) => values[name] === undefined || (values[name] === '' && !mayBeEmpty.has(name)));
  if (missing.length) {
    throw new PackagingError(
      `Unset for "${env}": ${missing.join(', ')}. Set ${missing.length === 1 ? 'it' : 'them'} in ${path.join(envDir, `.env.${env}`)} or in the environment (provision writes them).`,
    );
  }
  const malformed = names.flatMap((name) => {
    const rule = formats.find((format) => format.applies.test(name));
    return rule && !rule.valid.test(values[name]!) ? [`${name} must be ${rule.expected}, got ${JSON.stringify(values[name])}`] : [];
  });
  if (malformed.length) throw new PackagingError(`Bad values for "${env}":\n  ${malformed.join('\n  ')}`);
  return json.replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (_, name: string) => JSON.stringify(values[name]).slice(1, -1));
}

function readIcon(file: string, size: number): Buffer {
  const bytes = readFileSync(file);
  const isPng = bytes.subarray(1, 4).toString('ascii') === 'PNG' && bytes.subarray(12, 16).toString('ascii') === 'IHDR';
  const [width, height] = isPng ? [bytes.readUInt32BE(16), bytes.readUInt32BE(20)] : [0, 0];
  if (width !== size || height !== size) {
    throw new PackagingError(`${path.basename(file)} must be a ${size}×${size} PNG (run teams-app/scripts/draw-icons.ts)`);
  }
  return bytes;
}

/** Against the schema the manifest names, from the copy bundled with @microsoft/app-manifest: no network. */
async function validateAgainstSchema(manifest: Record<string, unknown>): Promise<string[]> {
  const version = String(manifest.manifestVersion);
  const schemaFile = path.join(
    path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
    'build/json-schemas/teams',
    `v${version}`,
    'MicrosoftTeams.schema.json',
  );
  if (!existsSync(schemaFile)) throw new PackagingError(`@microsoft/app-manifest has no schema for manifestVersion ${version}`);
  // The schema is what decides whether the object is an AppManifest.
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest, JSON.parse(readFileSync(schemaFile, 'utf8')));
}

/** Office's own check of the add-in part; offline for JSON manifests (it prints nothing and exits 0 when valid). */
function validateAddin(manifestPath: string): void {
  const cli = path.join(path.dirname(require.resolve('office-addin-manifest/package.json')), 'cli.js');
  const run = spawnSync(process.execPath, [cli, 'validate', manifestPath], { encoding: 'utf8', timeout: 60_000 });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  if (run.status !== 0 || /error/i.test(output)) {
    throw new PackagingError(`office-addin-manifest validate rejects ${manifestPath}:\n${output || run.error?.message || `exit ${run.status}`}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { env: { type: 'string' }, out: { type: 'string' } } });
  const result = await packageApp({
    env: values.env ?? process.env.TEAMSFX_ENV ?? 'local',
    ...(values.out && { outDir: path.resolve(values.out) }),
    overrides: process.env,
  });
  for (const note of result.notes) console.log(note);
  console.log(result.zipPath);
  console.log('valid');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof PackagingError ? error.message : error);
    process.exitCode = 1;
  });
}
