/** The session cookie's name on `parex serve`; a local server adds its port (see local-app.ts). */
export const sessionCookieName = "parex_session";

/**
 * The value of cookie `name` in a `Cookie` header, or undefined. Only the session cookie is ever
 * read, and its value is base64url, so the header is split by hand rather than with a cookie
 * library: `a=1; parex_session=xyz` → `xyz`.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(";")) {
    const at = pair.indexOf("=");
    if (at !== -1 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * The `Set-Cookie` value of a session: unreadable by scripts (HttpOnly), never sent by another
 * site's requests (SameSite=Strict), for the whole server (Path=/), over https only when it
 * came over https (Secure), and kept as long as the session lasts.
 */
export function sessionCookie(
  name: string,
  session: { readonly session: string; readonly maxAgeSeconds: number },
  https: boolean,
): string {
  const secure = https ? "; Secure" : "";
  return `${name}=${session.session}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${session.maxAgeSeconds}${secure}`;
}
