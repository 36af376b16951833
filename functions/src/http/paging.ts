import { createHash } from 'node:crypto';
import type { SqlParameter } from '@azure/cosmos';
import { z } from 'zod';
import { badRequest } from './problem';
import type { Documents, StoredFields } from '../store/documents';

/** `?limit=&continuationToken=` on every list that can grow. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
  continuationToken: z.string().max(4000).optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last one. */
  continuationToken?: string;
}

/** The response header that carries the next page's token, so list bodies stay plain arrays. */
export const continuationHeader = 'x-continuation-token';

/** Ties a token to the query it continues, so a token is never replayed against another filter. */
function fingerprint(query: string, parameters: SqlParameter[]): string {
  return createHash('sha256')
    .update(JSON.stringify([query, parameters]))
    .digest('base64url')
    .slice(0, 16);
}

/**
 * One page of a tenant's records in a stable order, continued with Cosmos DB's own continuation token
 * (never OFFSET/LIMIT, which re-reads every skipped record). The token handed out is opaque: the Cosmos
 * token and the query's fingerprint, base64url-encoded.
 */
export async function queryPage<T extends StoredFields>(
  documents: Documents<T>,
  tenantId: string,
  page: PageQuery,
  filter: { where?: string; parameters?: SqlParameter[]; orderBy: string },
): Promise<Page<T>> {
  const parameters = [{ name: '@tenantId', value: tenantId }, { name: '@docType', value: documents.docType }, ...(filter.parameters ?? [])];
  const query = `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.docType = @docType AND (${filter.where ?? 'true'}) ORDER BY ${filter.orderBy}`;
  const print = fingerprint(query, parameters);
  let continuation: string | undefined;
  if (page.continuationToken) {
    try {
      const decoded = JSON.parse(Buffer.from(page.continuationToken, 'base64url').toString('utf8')) as { q: string; c: string };
      if (decoded.q !== print || typeof decoded.c !== 'string') throw new Error('another query');
      continuation = decoded.c;
    } catch {
      throw badRequest('The continuationToken does not continue this list; start again without it.', [
        { field: 'continuationToken', message: 'not a token this list handed out' },
      ]);
    }
  }
  const response = await documents.container.items
    .query<T>({ query, parameters }, { maxItemCount: page.limit, ...(continuation ? { continuationToken: continuation } : {}) })
    .fetchNext();
  const next = response.hasMoreResults && response.continuationToken ? response.continuationToken : undefined;
  return {
    items: response.resources,
    ...(next ? { continuationToken: Buffer.from(JSON.stringify({ q: print, c: next })).toString('base64url') } : {}),
  };
}

/**
 * The `where` and `parameters` of a page filtered by equal values: `c.<field> = @<field>` for each filter the
 * query gives (an absent one filters nothing).
 */
export function equalityFilter(values: Record<string, string | undefined>): { where: string; parameters: SqlParameter[] } {
  const given = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return {
    where: given.map(([field]) => `c.${field} = @${field}`).join(' AND ') || 'true',
    parameters: given.map(([field, value]) => ({ name: `@${field}`, value })),
  };
}

/** The list response: the page's items as the body, the next token in a header. */
export function pageResponse<T, U>(page: Page<T>, present: (item: T) => U): { body: U[]; headers: Record<string, string> } {
  return {
    body: page.items.map(present),
    headers: page.continuationToken ? { [continuationHeader]: page.continuationToken, 'access-control-expose-headers': continuationHeader } : {},
  };
}
