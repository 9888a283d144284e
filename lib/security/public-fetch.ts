import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Fetches a page of the public internet on a user's behalf (a company's homepage for the AI
 * enrichment), or posts to one (outgoing webhooks, `postPublic`), without letting the address
 * reach inside: the server side request forgery rules of DESIGN.md §11.
 *
 * - http and https only, on their usual ports or any other; no credentials in the URL;
 * - every address a host name resolves to must be public unicast (not loopback, private,
 *   link-local — where cloud metadata lives —, carrier-grade NAT, multicast, reserved, or an
 *   IPv4 one of these mapped into IPv6); the check runs in the connection's own DNS lookup, so
 *   the address checked is the address connected to (no second resolution to rebind);
 * - redirects are followed by hand, at most MAX_REDIRECTS, each one checked the same way (a POST
 *   follows only 307 and 308, which keep the method and body; any other redirect is its answer);
 * - no cookies are sent or kept; the body is read up to `maxBytes` and the whole fetch given
 *   `timeoutMs`.
 */
export class PublicFetchRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PublicFetchRefused";
  }
}

export type PublicFetchOptions = {
  maxBytes?: number;
  timeoutMs?: number;
  /** DNS resolution (tests give names their own answers). */
  lookup?: typeof dnsLookup;
  /**
   * Tests only: addresses allowed although not public (the suite's own servers on 127.0.0.1).
   * Never set from user input or the environment.
   */
  allowAddress?: (address: string) => boolean;
};

export type PublicPage = { url: string; status: number; contentType: string | null; body: string; truncated: boolean };

const MAX_REDIRECTS = 5;

/** Local-use NAT64 (RFC 8215): a gateway translates it into addresses of its own network, which ipaddr.js calls unicast. */
const LOCAL_NAT64 = ipaddr.IPv6.parse("64:ff9b:1::");
/** Site-local (fec0::/10, RFC 3879): deprecated, but a network may still route it internally; ipaddr.js calls it unicast. */
const SITE_LOCAL = ipaddr.IPv6.parse("fec0::");

/**
 * Public unicast only: ipaddr.js names every special range. An IPv6 address that carries an
 * IPv4 one in its last 32 bits behind zeros (mapped `::ffff:a.b.c.d`, or the deprecated
 * compatible `::a.b.c.d`, which ipaddr.js calls unicast) is judged as its IPv4 self.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6") {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.match(LOCAL_NAT64, 48) || v6.match(SITE_LOCAL, 10)) return false;
    const [a, b, c, d, e, f, g, h] = v6.parts as [number, number, number, number, number, number, number, number];
    const embedsIPv4 = a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && (f === 0 || f === 0xffff);
    if (embedsIPv4) parsed = new ipaddr.IPv4([g >> 8, g & 0xff, h >> 8, h & 0xff]);
  }
  return parsed.range() === "unicast";
}

export async function fetchPublicPage(url: string, options: PublicFetchOptions = {}): Promise<PublicPage> {
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 8_000);
  let current = parseTarget(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await get(current, options, deadline);
    const location = response.headers.location;
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.resume();
      current = parseTarget(new URL(location, current).toString());
      continue;
    }
    const { body, truncated } = await readCapped(response, options.maxBytes ?? 512 * 1024, deadline);
    return {
      url: current.toString(),
      status: response.statusCode ?? 0,
      contentType: response.headers["content-type"] ?? null,
      body,
      truncated,
    };
  }
  throw new PublicFetchRefused(`${url} redirects more than ${MAX_REDIRECTS} times.`);
}

export type PublicPost = { url: string; status: number; body: string; truncated: boolean };

/**
 * Posts `body` to a public address with the same checks as fetchPublicPage (after DNS, on every
 * redirect). Only 307 and 308 are followed (they keep the method and body). A 2xx is the
 * receiver's acceptance, whole with its status: its body is not waited for (one that stalled past
 * the timeout turned an accepted delivery into a failure, retried, so the receiver got it twice).
 * Any other answer's body is read up to `maxBytes` (default 16 KB) for the delivery log.
 */
export async function postPublic(
  url: string,
  request: { body: string; headers: Record<string, string> },
  options: PublicFetchOptions = {},
): Promise<PublicPost> {
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const outgoing: Outgoing = {
    method: "POST",
    headers: {
      "user-agent": "LeadIntelligencePanel-Webhooks/0.1",
      "content-length": String(Buffer.byteLength(request.body)),
      ...request.headers,
    },
    body: request.body,
  };
  let current = parseTarget(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await send(current, outgoing, options, deadline);
    const location = response.headers.location;
    if ((response.statusCode === 307 || response.statusCode === 308) && location) {
      response.resume();
      current = postRedirectTarget(current, location);
      continue;
    }
    const status = response.statusCode ?? 0;
    if (status >= 200 && status <= 299) {
      response.destroy();
      return { url: current.toString(), status, body: "", truncated: false };
    }
    const { body, truncated } = await readCapped(response, options.maxBytes ?? 16 * 1024, deadline);
    return { url: current.toString(), status, body, truncated };
  }
  throw new PublicFetchRefused(`${url} redirects more than ${MAX_REDIRECTS} times.`);
}

/**
 * Where a POST's 307/308 sends it next. Never from https to plain http: the body is signed and
 * holds lead data, and an endpoint saved as https (as outside development it must be) would
 * otherwise hand it to whoever its redirect names, in clear text.
 */
export function postRedirectTarget(current: URL, location: string): URL {
  const next = parseTarget(new URL(location, current).toString());
  if (current.protocol === "https:" && next.protocol === "http:") {
    throw new PublicFetchRefused(`${current.host} redirects to ${next.host} over plain http; the request is only sent over https.`);
  }
  return next;
}

/**
 * Checks an address before it is saved (a webhook endpoint): http(s), no credentials, and every
 * address its host resolves to public. Delivery checks again, as the name may resolve elsewhere later.
 */
export async function assertPublicTarget(url: string, options: Pick<PublicFetchOptions, "lookup" | "allowAddress"> = {}): Promise<URL> {
  const target = parseTarget(url);
  const literal = target.hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(literal)) {
    if (!isPublicAddress(literal) && !options.allowAddress?.(literal)) {
      throw new PublicFetchRefused(`${literal} is not a public address.`);
    }
    return target;
  }
  await new Promise<void>((resolve, reject) =>
    guardedLookup(options)(literal, { all: true }, (error) => (error ? reject(unwrap(error)) : resolve())),
  );
  return target;
}

function parseTarget(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PublicFetchRefused(`"${url.slice(0, 200)}" is not a web address.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new PublicFetchRefused(`Only http and https addresses are fetched, not ${parsed.protocol.replace(":", "")}.`);
  }
  if (parsed.username || parsed.password) throw new PublicFetchRefused("An address with a user name or password is not fetched.");
  return parsed;
}

/** DNS answers that mean the name does not exist (as opposed to a resolver that failed: EAI_AGAIN, try again). */
const NO_SUCH_NAME = new Set(["ENOTFOUND", "ENODATA"]);

/**
 * The connection's DNS lookup, refusing any answer that is not a public address (and a literal
 * address the same way). A name that resolves inside, or to nothing, gets one message that names
 * no address: the messages reach the person who typed the URL (a webhook's form and delivery
 * log), who must not learn from them which names exist inside the network or where they point.
 * The server's log keeps the address.
 */
function guardedLookup(options: PublicFetchOptions): LookupFunction {
  const resolve = options.lookup ?? dnsLookup;
  return (hostname, lookupOptions, callback) => {
    resolve(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) {
        if (NO_SUCH_NAME.has((error as NodeJS.ErrnoException).code ?? "")) return callback(notPublicHost(hostname), "", 0);
        return callback(error, "", 0);
      }
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: 4 }]) as LookupAddress[];
      const refused = list.find((a) => !isPublicAddress(a.address) && !options.allowAddress?.(a.address));
      if (list.length === 0 || refused) {
        if (refused) console.warn(`[public-fetch] refused ${hostname}: it resolves to ${refused.address}, not a public address`);
        return callback(notPublicHost(hostname), "", 0);
      }
      if (lookupOptions.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

const notPublicHost = (hostname: string) => new PublicFetchRefused(`Not fetched: ${hostname} is not a public address on the internet.`);

type Outgoing = { method: "GET" | "POST"; headers: Record<string, string>; body?: string };

const GET: Outgoing = {
  method: "GET",
  headers: { "user-agent": "LeadIntelligencePanel/0.1 (+self-hosted)", accept: "text/html,text/plain;q=0.9,*/*;q=0.1" },
};

function get(target: URL, options: PublicFetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  return send(target, GET, options, signal);
}

function send(target: URL, outgoing: Outgoing, options: PublicFetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  // A literal address never goes through DNS: check it here.
  const literal = target.hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(literal) && !isPublicAddress(literal) && !options.allowAddress?.(literal)) {
    return Promise.reject(new PublicFetchRefused(`Not fetched: ${literal} is not a public address.`));
  }
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      { method: outgoing.method, lookup: guardedLookup(options), signal, headers: outgoing.headers, agent: false },
      resolve,
    );
    request.on("error", (error) => reject(unwrap(error)));
    request.end(outgoing.body);
  });
}

function unwrap(error: Error): Error {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) if (e instanceof PublicFetchRefused) return e;
  if (error.name === "AbortError" || error.name === "TimeoutError") return new PublicFetchRefused("The page took too long to answer.");
  return error;
}

async function readCapped(response: IncomingMessage, maxBytes: number, signal: AbortSignal) {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of response) {
      if (signal.aborted) throw new PublicFetchRefused("The page took too long to answer.");
      const buffer = chunk as Buffer;
      if (size + buffer.length > maxBytes) {
        chunks.push(buffer.subarray(0, maxBytes - size));
        truncated = true;
        break;
      }
      chunks.push(buffer);
      size += buffer.length;
    }
  } finally {
    response.destroy();
  }
  return { body: Buffer.concat(chunks).toString("utf8"), truncated };
}
