/** A small HTML page: what the dashboard's routes answer when they cannot serve it. */
export function page(title: string, text: string): string {
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="color-scheme" content="light dark">
<title>${escape(title)}</title>
<h1>${escape(title)}</h1>
<p>${escape(text)}</p>
</html>
`;
}

const entities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
