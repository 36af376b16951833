import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AzureServices } from '../composition/azure-services';
import type { Services } from '../composition/services';
import { asLocal } from '../local/local-services';

/** The Key Vault secret holding the key, in Azure: at least 32 random bytes, base64 (`openssl rand -base64 32`). */
export const unsubscribeKeySecret = 'unsubscribe-signing-key';

const minimumKeyBytes = 32;

/** The local suite's key: made once, then kept in the data folder beside the local token issuer's key. */
export async function loadLocalUnsubscribeKey(keyFile: string): Promise<Buffer> {
  try {
    return Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64');
  } catch {
    const key = randomBytes(minimumKeyBytes);
    await mkdir(dirname(keyFile), { recursive: true });
    await writeFile(keyFile, key.toString('base64'), { mode: 0o600 });
    return key;
  }
}

/** The key unsubscribe links are signed with: the local suite's own, or Key Vault's in Azure. */
export async function unsubscribeSigningKey(services: Services): Promise<Buffer> {
  if (services.environment === 'local') return asLocal(services).unsubscribeKey;
  const { secrets } = services as AzureServices;
  const key = Buffer.from((await secrets.get(unsubscribeKeySecret)) ?? '', 'base64');
  if (key.length < minimumKeyBytes) {
    throw new Error(
      `Key Vault secret "${unsubscribeKeySecret}" must hold at least ${minimumKeyBytes} random bytes, base64-encoded; unsubscribe links cannot be signed without it.`,
    );
  }
  return key;
}
