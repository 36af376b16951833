import { z } from 'zod';

const problemBodySchema = z.object({ title: z.string().optional(), detail: z.string().optional(), status: z.number().optional() });

/** A failed call to the ASEP API, read from its `application/problem+json` body when it sent one. */
export class ApiProblem extends Error {
  constructor(
    /** HTTP status; 0 when the service could not be reached at all. */
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiProblem';
  }

  static async fromResponse(response: Response): Promise<ApiProblem> {
    const text = await response.text();
    let body: z.infer<typeof problemBodySchema> = {};
    try {
      body = problemBodySchema.catch({}).parse(JSON.parse(text));
    } catch {
      // Not JSON (a proxy's HTML error page, say): the status line is all there is to report.
    }
    return new ApiProblem(response.status, body.title ?? (response.statusText || `HTTP ${response.status}`), body.detail);
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Any failure as an ApiProblem, so views deal with one shape. */
export function asApiProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  return new ApiProblem(0, 'Something went wrong', error instanceof Error ? error.message : String(error));
}
