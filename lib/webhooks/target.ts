import "server-only";
import ipaddr from "ipaddr.js";
import { env } from "@/lib/env";
import { assertPublicTarget, PublicFetchRefused, type PublicFetchOptions } from "@/lib/security/public-fetch";
import { AppError } from "@/lib/errors";

export type TargetOptions = Pick<PublicFetchOptions, "lookup" | "allowAddress"> & {
  /** Refuse http:// (production's rule; development accepts it for a local receiver). */
  requireHttps?: boolean;
};

/**
 * The end-to-end suite's override (WEBHOOK_ALLOW_LOOPBACK_FOR_TESTS, refused in production by
 * lib/env.ts): loopback addresses only, so its receiver on 127.0.0.1 can be reached. Private
 * networks and metadata addresses stay refused even then.
 */
export function defaultTargetOptions(): TargetOptions {
  const e = env();
  return {
    requireHttps: e.NODE_ENV === "production",
    ...(e.WEBHOOK_ALLOW_LOOPBACK_FOR_TESTS && e.NODE_ENV !== "production" ? { allowAddress: isLoopback } : {}),
  };
}

function isLoopback(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === "loopback";
}

/** The database's limit on an endpoint's stored address (webhook_endpoints_url_length). */
export const MAX_ENDPOINT_URL_LENGTH = 2000;

/** Checks an endpoint's URL before it is saved; the message names what to change. */
export async function checkEndpointUrl(url: string, options: TargetOptions): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl("Enter a full web address, like https://example.com/webhooks.");
  }
  if (parsed.protocol !== "https:" && (options.requireHttps || parsed.protocol !== "http:")) {
    throw invalidUrl("The address must start with https:// (webhooks carry your leads' data, so only encrypted connections are allowed).");
  }
  if (parsed.hash) throw invalidUrl("Remove the #fragment from the address.");
  // Measured as it is stored: accented letters and spaces are percent-encoded, three characters each.
  const normalised = parsed.toString();
  if (normalised.length > MAX_ENDPOINT_URL_LENGTH) {
    throw invalidUrl(
      `The address is too long once encoded for the web (${normalised.length.toLocaleString("en-US")} characters; ${MAX_ENDPOINT_URL_LENGTH.toLocaleString("en-US")} at most).`,
    );
  }
  try {
    await assertPublicTarget(parsed.toString(), options);
  } catch (error) {
    // A name that does not exist reads like one that resolves inside (public-fetch.ts): which is
    // which, and where an inside name points, is not for the person typing to learn.
    if (error instanceof PublicFetchRefused) {
      throw invalidUrl(
        `${error.message.replace(/^Not fetched: /, "")} Check the address: webhooks are sent to public internet addresses only.`,
      );
    }
    if ((error as { code?: string }).code === "EAI_AGAIN") {
      throw invalidUrl(`${parsed.hostname} could not be looked up just now. Try again in a moment.`);
    }
    throw error;
  }
  return normalised;
}

const invalidUrl = (message: string) => new AppError("invalid_input", message, { url: [message] });
