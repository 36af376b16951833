import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { minimumUnsubscribeKeyBytes } from '@asep/functions/unsubscribe/signing-key';

/** The local suite's unsubscribe signing key: made once, then kept in the data folder beside the token issuer's key. */
export async function loadLocalUnsubscribeKey(keyFile: string): Promise<Buffer> {
  try {
    return Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64');
  } catch {
    const key = randomBytes(minimumUnsubscribeKeyBytes);
    await mkdir(dirname(keyFile), { recursive: true });
    await writeFile(keyFile, key.toString('base64'), { mode: 0o600 });
    return key;
  }
}
