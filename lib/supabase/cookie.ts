/**
 * One cookie name for server, proxy and browser clients. Supabase derives it from the
 * project URL by default; fixing it lets the browser talk to the embedded auth server on
 * whatever origin the page was opened (localhost or 127.0.0.1) and still share the session.
 */
export const AUTH_COOKIE_NAME = "sb-lip-auth-token";
