import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botCommands } from '../src/cards/message-cards';
import { packageApp, PackagingError } from './package-app';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const specs = path.resolve(repoRoot, '..', 'shared', 'specs');

const guids = {
  TEAMS_APP_ID: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
  BOT_ID: '11111111-2222-4333-8444-555555555555',
  AAD_APP_CLIENT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
};
const devEnv = {
  ...guids,
  TAB_ENDPOINT: 'https://tab.asep.example',
  TAB_DOMAIN: 'tab.asep.example',
  ADDIN_ENDPOINT: 'https://addin.asep.example',
  ADDIN_DOMAIN: 'addin.asep.example',
  API_DOMAIN: 'func-asep-dev.azurewebsites.net',
  APP_NAME_SUFFIX: '-dev',
};

const addinExtension = {
  requirements: { scopes: ['mail'], capabilities: [{ name: 'Mailbox', minVersion: '1.3' }] },
  runtimes: [
    {
      id: 'TaskPaneRuntime',
      type: 'general',
      code: { page: '${{ADDIN_ENDPOINT}}/taskpane.html' },
      lifetime: 'short',
      actions: [{ id: 'ShowTaskpane', type: 'openPage' }],
    },
  ],
  ribbons: [
    {
      contexts: ['mailRead'],
      tabs: [
        {
          builtInTabId: 'TabDefault',
          groups: [
            {
              id: 'asepGroup',
              label: 'ASEP',
              icons: [{ size: 32, url: '${{ADDIN_ENDPOINT}}/icon-32.png' }],
              controls: [
                {
                  id: 'asepInsights',
                  type: 'button',
                  label: 'Insights',
                  icons: [{ size: 32, url: '${{ADDIN_ENDPOINT}}/icon-32.png' }],
                  supertip: { title: 'ASEP insights', description: 'How this reply was read, and the next step.' },
                  actionId: 'ShowTaskpane',
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'asep-package-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function writeEnv(env: string, values: Record<string, string>): string {
  const envDir = path.join(work, 'env');
  const lines = Object.entries(values).map(([name, value]) => `${name}=${value}`);
  mkdirSync(envDir, { recursive: true });
  writeFileSync(path.join(envDir, `.env.${env}`), `# test environment\n${lines.join('\n')}\n`);
  return envDir;
}

/** Options that isolate a run from the repository's own env files, add-in and process environment. */
function isolated(extra: Parameters<typeof packageApp>[0] = {}) {
  return {
    outDir: path.join(work, 'out'),
    envDir: path.join(work, 'no-env'),
    extensionPath: path.join(work, 'no-extension.json'),
    overrides: {},
    ...extra,
  };
}

async function zipContents(zipPath: string) {
  const zip = await JSZip.loadAsync(readFileSync(zipPath));
  const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
  return { names: Object.keys(zip.files).sort(), manifest, zip };
}

function schemaErrors(manifest: unknown): string[] {
  const schema = JSON.parse(readFileSync(path.join(specs, 'teams-manifest', 'v1.19-MicrosoftTeams.schema.json'), 'utf8'));
  const ajv = new Ajv04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return validate(manifest) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

/** Decodes an 8-bit RGBA PNG into its size and pixels (enough to check the icons). */
function decodePng(bytes: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  expect([bytes[24], bytes[25]]).toEqual([8, 6]);
  const idat: Buffer[] = [];
  for (let offset = 8; offset < bytes.length;) {
    const length = bytes.readUInt32BE(offset);
    if (bytes.toString('ascii', offset + 4, offset + 8) === 'IDAT') idat.push(bytes.subarray(offset + 8, offset + 8 + length));
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= 4 ? pixels[y * stride + x - 4]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const upLeft = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4]! : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, paeth()][filter]!;
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

describe('packageApp', () => {
  it('packages the local environment from built-in defaults into a zip whose manifest matches the 1.19 schema', async () => {
    const result = await packageApp(isolated());
    expect(result.notes.join('\n')).toContain('using built-in local defaults');
    expect(result.zipPath).toBe(path.join(work, 'out', 'appPackage.local.zip'));
    const { names, manifest } = await zipContents(result.zipPath);
    expect(names).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(schemaErrors(manifest)).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest.bots).toEqual([expect.objectContaining({ botId: '00000000-0000-0000-0000-000000000000', scopes: ['personal', 'team'] })]);
    expect(manifest.staticTabs[0]).toMatchObject({ entityId: 'console', contentUrl: 'https://localhost:53000/index.html', scopes: ['personal'] });
    expect(manifest.webApplicationInfo).toEqual({
      id: '00000000-0000-0000-0000-000000000000',
      resource: 'api://localhost:53000/00000000-0000-0000-0000-000000000000',
    });
    expect(manifest).not.toHaveProperty('extensions');
    expect(readFileSync(path.join(work, 'out', 'manifest.local.json'), 'utf8')).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
  });

  it('offers the same commands the bot answers', async () => {
    const { manifest } = await zipContents((await packageApp(isolated())).zipPath);
    expect(manifest.bots[0].commandLists).toEqual([{ scopes: ['personal', 'team'], commands: botCommands }]);
  });

  it('ships a 192×192 colour icon and a 32×32 outline icon in white on transparency', async () => {
    const { zip } = await zipContents((await packageApp(isolated())).zipPath);
    const color = decodePng(await zip.file('color.png')!.async('nodebuffer'));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(await zip.file('outline.png')!.async('nodebuffer'));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const alphas: number[] = [];
    for (let i = 0; i < outline.pixels.length; i += 4) {
      expect([...outline.pixels.subarray(i, i + 3)]).toEqual([255, 255, 255]);
      alphas.push(outline.pixels[i + 3]!);
    }
    expect(alphas).toContain(0);
    expect(alphas).toContain(255);
  });

  it('takes ids and domains from the env file, with variables set in the environment winning over it', async () => {
    const envDir = writeEnv('dev', devEnv);
    const overrideBot = '99999999-8888-4777-8666-555555555555';
    const result = await packageApp(isolated({ env: 'dev', envDir, overrides: { BOT_ID: overrideBot, TAB_DOMAIN: '' } }));
    expect(path.basename(result.zipPath)).toBe('appPackage.dev.zip');
    const { manifest } = await zipContents(result.zipPath);
    expect(schemaErrors(manifest)).toEqual([]);
    expect(manifest.id).toBe(guids.TEAMS_APP_ID);
    expect(manifest.bots[0].botId).toBe(overrideBot);
    expect(manifest.name.short).toBe('ASEP-dev');
    expect(manifest.staticTabs[0].contentUrl).toBe('https://tab.asep.example/index.html');
    expect(manifest.webApplicationInfo.resource).toBe(`api://tab.asep.example/${guids.AAD_APP_CLIENT_ID}`);
    expect(manifest.validDomains).toEqual(['tab.asep.example', 'addin.asep.example', 'func-asep-dev.azurewebsites.net']);
  });

  it('names every variable the env file leaves unset', async () => {
    const { TEAMS_APP_ID: _unset, BOT_ID: _missing, ...rest } = devEnv;
    const envDir = writeEnv('dev', { ...rest, TEAMS_APP_ID: '' });
    const attempt = packageApp(isolated({ env: 'dev', envDir }));
    await expect(attempt).rejects.toThrow(PackagingError);
    await expect(attempt).rejects.toThrow(/^Unset for "dev": TEAMS_APP_ID, BOT_ID\. Set them in .*\.env\.dev/);
  });

  it('lets the name suffix be empty, as in production', async () => {
    const envDir = writeEnv('prod', { ...devEnv, APP_NAME_SUFFIX: '' });
    const { manifest } = await zipContents((await packageApp(isolated({ env: 'prod', envDir }))).zipPath);
    expect(manifest.name).toMatchObject({ short: 'ASEP', full: 'ASEP: governed B2B outbound sales' });
  });

  it('names a domain given as a URL', async () => {
    const envDir = writeEnv('dev', { ...devEnv, TAB_DOMAIN: 'https://tab.asep.example/' });
    await expect(packageApp(isolated({ env: 'dev', envDir }))).rejects.toThrow(
      'TAB_DOMAIN must be a host name with an optional port, without https://, got "https://tab.asep.example/"',
    );
  });

  it('refuses an environment that has no env file, other than local', async () => {
    await expect(packageApp(isolated({ env: 'staging' }))).rejects.toThrow(/No .*\.env\.staging: run provision for "staging" first/);
  });

  it("merges the Outlook add-in extension and passes Office's own validator", async () => {
    const extensionPath = path.join(work, 'manifest-extension.json');
    writeFileSync(extensionPath, JSON.stringify(addinExtension));
    const result = await packageApp(isolated({ extensionPath }));
    const { manifest } = await zipContents(result.zipPath);
    expect(schemaErrors(manifest)).toEqual([]);
    expect(manifest.extensions).toHaveLength(1);
    expect(manifest.extensions[0].runtimes[0].code.page).toBe('https://localhost:3000/taskpane.html');
    expect(manifest.authorization).toEqual({ permissions: { resourceSpecific: [{ name: 'MailboxItem.Read.User', type: 'Delegated' }] } });
  });

  it('keeps the permissions the add-in asks for', async () => {
    const extensionPath = path.join(work, 'manifest-extension.json');
    const authorization = { permissions: { resourceSpecific: [{ name: 'MailboxItem.ReadWrite.User', type: 'Delegated' }] } };
    writeFileSync(extensionPath, JSON.stringify({ extensions: [addinExtension], authorization }));
    const { manifest } = await zipContents((await packageApp(isolated({ extensionPath }))).zipPath);
    expect(manifest.authorization).toEqual(authorization);
  });

  it('rejects an add-in extension that breaks the schema, saying where', async () => {
    const extensionPath = path.join(work, 'manifest-extension.json');
    const { code: _code, ...runtimeWithoutCode } = addinExtension.runtimes[0]!;
    writeFileSync(extensionPath, JSON.stringify({ ...addinExtension, runtimes: [runtimeWithoutCode] }));
    await expect(packageApp(isolated({ extensionPath }))).rejects.toThrow(
      /does not match its schema:\n.*\/extensions\/0\/runtimes\/0 must have required property 'code'/,
    );
  });

  it('rejects an add-in extension file that is not JSON', async () => {
    const extensionPath = path.join(work, 'manifest-extension.json');
    writeFileSync(extensionPath, '{ "requirements": ');
    await expect(packageApp(isolated({ extensionPath }))).rejects.toThrow(/manifest-extension\.json is not readable JSON/);
  });
});

describe('npm run package', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'teams-app/scripts/package-app.ts', ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });

  it('builds the repository\'s own package for local, printing the zip and "valid"', () => {
    const out = path.join(work, 'cli');
    const result = run('--env', 'local', '--out', out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').slice(-2)).toEqual([path.join(out, 'appPackage.local.zip'), 'valid']);
  });

  it('exits non-zero with a one-line reason when the environment does not exist', () => {
    const result = run('--env', 'nowhere', '--out', path.join(work, 'cli'));
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^No .*env\/\.env\.nowhere: run provision for "nowhere" first, or pick another --env\.$/);
  });
});
