import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const specs = path.resolve(repoRoot, '..', 'shared', 'specs');
const addinRoot = path.join(repoRoot, 'outlook-addin');
const addinEndpoint = 'https://localhost:7071/addin';

/** The fragment as the app packager sees it, after it fills in `${{ADDIN_ENDPOINT}}`. */
function resolvedFragment() {
  const text = readFileSync(path.join(addinRoot, 'manifest-extension.json'), 'utf8').replaceAll('${{ADDIN_ENDPOINT}}', addinEndpoint);
  return JSON.parse(text) as { extensions: ExtensionEntry[]; authorization: unknown };
}

interface ExtensionEntry {
  runtimes: { code: { page: string }; actions: { id: string; type: string; pinnable?: boolean }[] }[];
  ribbons: { contexts: string[]; tabs: { groups: { controls: { actionId: string; icons: { url: string }[] }[] }[] }[] }[];
}

/** The least a 1.19 manifest must say besides the add-in, so the fragment is validated where it will live. */
function minimalManifestWith(fragment: object) {
  return {
    $schema: 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.19/MicrosoftTeams.schema.json',
    manifestVersion: '1.19',
    version: '1.0.0',
    id: '6f1c2e0a-8a3b-4d5e-9f10-2b3c4d5e6f70',
    developer: {
      name: 'ASEP',
      websiteUrl: 'https://asep.example',
      privacyUrl: 'https://asep.example/privacy',
      termsOfUseUrl: 'https://asep.example/terms',
    },
    name: { short: 'ASEP', full: 'Autonomous Sales Execution Platform' },
    description: { short: 'Governed outbound sales', full: 'Governed B2B outbound sales on Microsoft 365.' },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#0F6CBD',
    ...fragment,
  };
}

function validatorFor119() {
  const ajv = new Ajv04({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(specs, 'teams-manifest', 'v1.19-MicrosoftTeams.schema.json'), 'utf8')));
}

describe('Outlook add-in manifest extension', () => {
  it('is valid in a unified app manifest of schema 1.19', () => {
    const validate = validatorFor119();
    const valid = validate(minimalManifestWith(resolvedFragment()));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would be caught by the same validation if it broke the schema', () => {
    const validate = validatorFor119();
    const broken = resolvedFragment();
    (broken.extensions[0]!.runtimes[0]!.actions[0] as { pinnable: unknown }).pinnable = 'yes';
    expect(validate(minimalManifestWith(broken))).toBe(false);
  });

  it('opens the taskpane page from a button on read messages, and the pane can be pinned', () => {
    const [extension] = resolvedFragment().extensions;
    const runtime = extension!.runtimes[0]!;
    const ribbon = extension!.ribbons[0]!;
    const button = ribbon.tabs[0]!.groups[0]!.controls[0]!;

    expect(runtime.code.page).toBe(`${addinEndpoint}/taskpane.html`);
    expect(ribbon.contexts).toEqual(['mailRead']);
    expect(runtime.actions.find((action) => action.id === button.actionId)).toMatchObject({ type: 'openPage', pinnable: true });
  });

  it('points at icons the build ships', () => {
    const icons = resolvedFragment().extensions[0]!.ribbons[0]!.tabs[0]!.groups[0]!.controls[0]!.icons;
    for (const icon of icons) {
      expect(existsSync(path.join(addinRoot, 'public', icon.url.slice(addinEndpoint.length)))).toBe(true);
    }
  });

  it('asks for nothing beyond reading the selected item', () => {
    expect(resolvedFragment().authorization).toEqual({ permissions: { resourceSpecific: [{ name: 'MailboxItem.Read.User', type: 'Delegated' }] } });
  });
});
