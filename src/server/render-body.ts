/** What a service's body template may refer to. */
export interface TemplateScope {
  readonly input: unknown;
  readonly results: Readonly<Record<string, unknown>>;
}

const placeholder = /^\{\{\s*(input|results)((?:\.[\w-]+)*)\s*\}\}$/;

/**
 * A body template with every placeholder string (`"{{input}}"`, `"{{input.user.id}}"`,
 * `"{{results.users}}"`) replaced by the value it names; a missing value becomes null. Only
 * whole strings are placeholders, so a value is never spliced into text it could escape from.
 */
export function renderBody(template: unknown, scope: TemplateScope): unknown {
  if (typeof template === "string") {
    const match = placeholder.exec(template);
    if (match === null) return template;
    const root = match[1] === "input" ? scope.input : scope.results;
    const path = (match[2] ?? "").split(".").filter((part) => part !== "");
    return path.reduce<unknown>((value, key) => fieldOf(value, key), root) ?? null;
  }
  if (Array.isArray(template)) return template.map((item) => renderBody(item, scope));
  if (typeof template === "object" && template !== null) {
    return Object.fromEntries(
      Object.entries(template).map(([key, value]) => [key, renderBody(value, scope)]),
    );
  }
  return template;
}

function fieldOf(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** The body sent when a service configures none. */
export const defaultBody = { input: "{{input}}", results: "{{results}}" };
