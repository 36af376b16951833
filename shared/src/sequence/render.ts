const variablePattern = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export interface RenderedTemplate {
  text: string;
  /** Variables the template names that had no value: the send must not go out with a gap. */
  missing: string[];
}

/** Fills `{{firstName}}`-style variables. Unknown or empty variables are reported, never sent as braces. */
export function renderTemplate(template: string, variables: Readonly<Record<string, string | undefined>>): RenderedTemplate {
  const missing = new Set<string>();
  const text = template.replace(variablePattern, (_, name: string) => {
    const value = variables[name]?.trim();
    if (!value) missing.add(name);
    return value ?? '';
  });
  return { text, missing: [...missing] };
}

export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(variablePattern)].map((match) => match[1]!))];
}
