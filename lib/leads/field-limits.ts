/**
 * How long a lead's text fields may be, and which time zones it accepts: the lead forms
 * (schemas.ts) and the CSV import (lib/imports/map-row.ts) refuse the same values. Plain code,
 * browser-safe: the import's mapping preview marks cells with these limits.
 */
export const LEAD_TEXT_LIMITS = {
  firstName: 100,
  lastName: 100,
  email: 320,
  title: 200,
  seniority: 60,
  department: 100,
  phone: 40,
  linkedinUrl: 500,
  city: 100,
  country: 100,
  timeZone: 64,
} as const;

/** Whether Intl knows the zone: what the lead's sending window is computed in. */
export function isIanaTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.includes("/") || zone === "UTC";
  } catch {
    return false;
  }
}
