/**
 * The leads' enum values, free of drizzle so browser code (the table's filters, the URL state)
 * can import them without shipping the ORM: db/schema/leads.ts builds its pgEnums from these.
 */
export const LEAD_STATUSES = ["new", "contacted", "replied", "interested", "meeting", "won", "lost", "unsubscribed", "bounced"] as const;
export const EMAIL_STATUSES = ["unknown", "valid", "risky", "invalid"] as const;
export const LEAD_SOURCES = ["manual", "csv", "apollo", "phantombuster", "instantly"] as const;
/**
 * Sample data a vendor's sandbox wrote into a lead: `lead`, a sandbox import created it (the
 * whole lead is invented); `values`, a sandbox import or Apollo enrichment changed some of the
 * values of a lead that came from elsewhere.
 */
export const LEAD_SAMPLE_DATA = ["lead", "values"] as const;

export type LeadStatus = (typeof LEAD_STATUSES)[number];
export type EmailStatus = (typeof EMAIL_STATUSES)[number];
export type LeadSource = (typeof LEAD_SOURCES)[number];
export type LeadSampleData = (typeof LEAD_SAMPLE_DATA)[number];
