import path from 'node:path';
import { readOpenApiDocument } from './openapi-operations';
import type { JsonObject } from './openapi-schema';

/** The read-only contracts kit lives beside the repository (`<repo>/../shared/specs`); it is never copied in. */
const sharedSpecsDir = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'specs');

export function readSharedSpec(relativePath: string): JsonObject {
  return readOpenApiDocument(path.join(sharedSpecsDir, relativePath));
}
