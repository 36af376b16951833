/**
 * `npm run audit:verify -- <bundle.zip>`: checks an exported audit bundle offline, without the service.
 * Exits 0 when the chain, the file hash and the manifest all hold; 1 otherwise, saying what broke.
 */
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { verifyAuditBundle } from '@asep/shared/audit/bundle';

async function main(file: string | undefined): Promise<number> {
  if (!file) {
    console.error('usage: npm run audit:verify -- <bundle.zip>');
    return 2;
  }
  const zip = await JSZip.loadAsync(await readFile(file));
  const manifest = await zip.file('manifest.json')?.async('string');
  const events = await zip.file('events.jsonl')?.async('string');
  if (manifest === undefined || events === undefined) {
    console.error(`${file} is not an ASEP audit bundle: it needs manifest.json and events.jsonl.`);
    return 1;
  }
  const result = verifyAuditBundle(manifest, events);
  if (result.valid) {
    console.log(`valid: ${result.count} events, head ${result.head}`);
    return 0;
  }
  console.log(`INVALID${result.firstBrokenSeq ? ` (first broken sequence number ${result.firstBrokenSeq})` : ''}`);
  for (const problem of result.problems) console.log(`- ${problem}`);
  return 1;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Could not read the bundle: ${(error as Error).message}`);
    process.exit(1);
  },
);
