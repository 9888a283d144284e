import { describe, expect, it } from "vitest";
import { clientIpFromHeaders, UNKNOWN_CLIENT } from "./client-ip";

const xff = (value?: string) => new Headers(value === undefined ? {} : { "x-forwarded-for": value });

describe("clientIpFromHeaders", () => {
  it("takes the entry the trusted proxies appended, ignoring what the caller wrote before it", () => {
    expect(clientIpFromHeaders(xff("203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientIpFromHeaders(xff("1.1.1.1, 2.2.2.2, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientIpFromHeaders(xff("1.1.1.1, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
  });

  it("puts requests that did not pass the proxies, or carry no address, in one shared bucket", () => {
    expect(clientIpFromHeaders(xff(), 1)).toBe(UNKNOWN_CLIENT);
    expect(clientIpFromHeaders(xff("203.0.113.9"), 2)).toBe(UNKNOWN_CLIENT);
    expect(clientIpFromHeaders(xff("not-an-ip"), 1)).toBe(UNKNOWN_CLIENT);
    expect(clientIpFromHeaders(xff(" , "), 1)).toBe(UNKNOWN_CLIENT);
  });

  it("normalises ports and IPv4-mapped addresses, and counts IPv6 by its /64", () => {
    expect(clientIpFromHeaders(xff("203.0.113.9:51234"), 1)).toBe("203.0.113.9");
    expect(clientIpFromHeaders(xff("::ffff:127.0.0.1"), 1)).toBe("127.0.0.1");
    expect(clientIpFromHeaders(xff("2001:db8:1:2:aaaa::1"), 1)).toBe("2001:0db8:0001:0002::/64");
    expect(clientIpFromHeaders(xff("[2001:db8:1:2:ffff::9]:443"), 1)).toBe("2001:0db8:0001:0002::/64");
    expect(clientIpFromHeaders(xff("2001:db8::1"), 1)).toBe("2001:0db8:0000:0000::/64");
    expect(clientIpFromHeaders(xff("::1"), 1)).toBe("0000:0000:0000:0000::/64");
  });
});
