import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { lookup as dnsLookup } from "node:dns";
import { afterAll, describe, expect, it } from "vitest";
import { fetchPublicPage, isPublicAddress, postRedirectTarget, PublicFetchRefused } from "./public-fetch";

/** A stand-in web server on 127.0.0.1 that the tests reach as public.example (the suite's override allows only its address). */
const seen: IncomingHttpHeaders[] = [];
const server = createServer((req, res) => {
  seen.push(req.headers);
  if (req.url === "/to-metadata") return void res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
  if (req.url === "/to-intranet") return void res.writeHead(301, { location: "http://intranet.example/admin" }).end();
  if (req.url === "/with-cookie") return void res.writeHead(302, { location: "/home", "set-cookie": "session=abc; Path=/" }).end();
  if (req.url === "/big") return void res.writeHead(200, { "content-type": "text/html" }).end("x".repeat(300_000));
  if (req.url === "/slow") return void setTimeout(() => res.writeHead(200).end("late"), 2_000);
  if (req.url === "/loop") return void res.writeHead(302, { location: "/loop" }).end();
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<h1>Zahlwerk GmbH</h1><p>Payments for finance teams.</p>");
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as AddressInfo).port;
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const NAMES: Record<string, string> = {
  "public.example": "127.0.0.1",
  "intranet.example": "10.0.0.7",
  "rebind.example": "169.254.169.254",
};
const lookup = ((hostname: string, _options: unknown, callback: (e: Error | null, a: { address: string; family: number }[]) => void) => {
  const address = NAMES[hostname];
  if (!address) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
  callback(null, [{ address, family: 4 }]);
}) as unknown as typeof dnsLookup;
const options = { lookup, allowAddress: (address: string) => address === "127.0.0.1", timeoutMs: 1_000 };
const url = (path: string) => `http://public.example:${port}${path}`;

describe("isPublicAddress", () => {
  it("accepts public unicast addresses only, judging IPv4-mapped IPv6 as its IPv4 self", () => {
    expect(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"].map(isPublicAddress)).toEqual([true, true, true]);
    const inside = [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fc00::1",
      "fd12:3456::1",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "not-an-address",
    ];
    expect(inside.filter(isPublicAddress)).toEqual([]);
  });
  it("judges an IPv4-compatible IPv6 address as its IPv4 self, and refuses local-use NAT64", () => {
    // ipaddr.js calls all three unicast: ::7f00:1 is 127.0.0.1, ::a9fe:a9fe the metadata address.
    expect(
      ["::127.0.0.1", "::7f00:1", "::a9fe:a9fe", "::10.0.0.1", "64:ff9b:1::a9fe:a9fe", "64:ff9b:1:2::1"].filter(isPublicAddress),
    ).toEqual([]);
    expect(["::8.8.8.8", "::ffff:8.8.8.8", "64:ff9b::808:808"].map(isPublicAddress)).toEqual([true, true, false]);
  });
  it("refuses the deprecated site-local range (fec0::/10), which ipaddr.js calls unicast", () => {
    expect(["fec0::1", "feff:ffff::1", "fec0:0:0:1::5"].filter(isPublicAddress)).toEqual([]);
    expect(isPublicAddress("2001:4860:4860::8888")).toBe(true);
  });
});

describe("postRedirectTarget", () => {
  it("follows a webhook's redirect within https, or from http, but never from https down to plain http", () => {
    const https = new URL("https://hooks.example.com/in");
    expect(postRedirectTarget(https, "/moved").toString()).toBe("https://hooks.example.com/moved");
    expect(postRedirectTarget(https, "https://other.example.com/in").toString()).toBe("https://other.example.com/in");
    expect(postRedirectTarget(new URL("http://hooks.example.com/in"), "https://hooks.example.com/in").protocol).toBe("https:");
    expect(() => postRedirectTarget(https, "http://other.example.com:8080/in")).toThrow(PublicFetchRefused);
    expect(() => postRedirectTarget(https, "http://other.example.com:8080/in")).toThrow(/over plain http/);
  });
});

describe("fetchPublicPage", () => {
  it("fetches a public page, with no cookie sent or kept", async () => {
    const page = await fetchPublicPage(url("/with-cookie"), options);
    expect(page).toMatchObject({ status: 200, body: "<h1>Zahlwerk GmbH</h1><p>Payments for finance teams.</p>", truncated: false });
    expect(page.url).toBe(url("/home"));
    expect(seen.at(-1)!.cookie).toBeUndefined();
  });

  it("refuses loopback, private, link-local and metadata addresses given literally, without connecting", async () => {
    for (const target of [
      `http://127.0.0.1:${port}/`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
      "http://[::1]/",
      "http://[::ffff:127.0.0.1]/",
    ]) {
      await expect(fetchPublicPage(target)).rejects.toThrow(PublicFetchRefused);
    }
  });

  it("refuses a name that resolves to an address inside, checked on the connection's own lookup", async () => {
    await expect(fetchPublicPage("http://intranet.example/", options)).rejects.toThrow(
      "Not fetched: intranet.example is not a public address on the internet.",
    );
    await expect(fetchPublicPage("http://rebind.example/", options)).rejects.toThrow("rebind.example is not a public address");
    // The real resolver: localhost is loopback.
    await expect(fetchPublicPage(`http://localhost:${port}/`)).rejects.toThrow("localhost is not a public address");
  });

  it("names no inside address, and refuses a name inside as it refuses a name that does not exist", async () => {
    const refusal = (target: string) =>
      fetchPublicPage(target, options).then(
        () => "fetched",
        (e: Error) => e.message,
      );
    const inside = await refusal("http://intranet.example/");
    expect(inside).not.toContain("10.0.0.7");
    const nowhere = await refusal("http://nowhere.example/");
    expect(nowhere.replace("nowhere.example", "intranet.example")).toBe(inside);
  });

  it("checks every redirect the same way", async () => {
    await expect(fetchPublicPage(url("/to-metadata"), options)).rejects.toThrow("Not fetched: 169.254.169.254 is not a public address.");
    await expect(fetchPublicPage(url("/to-intranet"), options)).rejects.toThrow(
      "intranet.example is not a public address on the internet.",
    );
    await expect(fetchPublicPage(url("/loop"), options)).rejects.toThrow("redirects more than 5 times");
  });

  it("fetches http and https only, never with credentials in the address", async () => {
    await expect(fetchPublicPage("file:///etc/passwd")).rejects.toThrow("Only http and https addresses are fetched, not file.");
    await expect(fetchPublicPage("ftp://public.example/")).rejects.toThrow("not ftp");
    await expect(fetchPublicPage(`http://admin:secret@public.example:${port}/`, options)).rejects.toThrow("user name or password");
    await expect(fetchPublicPage("not a url")).rejects.toThrow("is not a web address");
  });

  it("keeps to its size and time limits", async () => {
    const big = await fetchPublicPage(url("/big"), { ...options, maxBytes: 10_000 });
    expect(big.body).toHaveLength(10_000);
    expect(big.truncated).toBe(true);
    await expect(fetchPublicPage(url("/slow"), { ...options, timeoutMs: 200 })).rejects.toThrow("The page took too long to answer.");
  });
});
