/** One validation error of a problem+json answer: the path of the offending field and what is wrong with it. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * A failed call to the ASEP API, read from its `application/problem+json` body when it sent one.
 * Parsed by hand rather than with zod: the sign-in code that needs it is part of the first render.
 */
export class ApiProblem extends Error {
  constructor(
    /** HTTP status; 0 when the service could not be reached at all. */
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiProblem';
  }

  static async fromResponse(response: Response): Promise<ApiProblem> {
    const fallbackTitle = response.statusText || `HTTP ${response.status}`;
    let body: unknown;
    try {
      body = JSON.parse(await response.text());
    } catch {
      // Not JSON (a proxy's HTML error page, say): the status line is all there is to report.
      return new ApiProblem(response.status, fallbackTitle);
    }
    const record = isRecord(body) ? body : {};
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    const errors = Array.isArray(record.errors) ? record.errors.filter(isFieldError) : [];
    return new ApiProblem(response.status, text(record.title) ?? fallbackTitle, text(record.detail), errors);
  }
}

/** Any failure as an ApiProblem, so views deal with one shape. */
export function asApiProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  return new ApiProblem(0, 'Something went wrong', error instanceof Error ? error.message : String(error));
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * The messages a problem holds for one field (`rules.caps.newRecipientsPerMailboxPerDay`) and the fields
 * under it; a message about a nested field names the rest of its path (`0: Invalid input` for a list item).
 */
export function errorsAt(problem: ApiProblem | undefined, field: string): string[] {
  if (!problem) return [];
  return problem.errors.flatMap((error) => {
    if (error.field === field) return [error.message];
    if (error.field.startsWith(`${field}.`)) return [`${error.field.slice(field.length + 1)}: ${error.message}`];
    return [];
  });
}

/** The errors no field on the screen shows, so that none goes unseen. */
export function errorsOutside(problem: ApiProblem | undefined, fields: readonly string[]): FieldError[] {
  if (!problem) return [];
  return problem.errors.filter((error) => !fields.some((field) => error.field === field || error.field.startsWith(`${field}.`)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFieldError(value: unknown): value is FieldError {
  return isRecord(value) && typeof value.field === 'string' && typeof value.message === 'string';
}
