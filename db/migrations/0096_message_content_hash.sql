-- Which approved content each email was written under, and whether an attempt of it may have
-- left without our knowing (lib/sending/send/claim-step.ts): a stored email is sent only under
-- the approval it was written for, and one that may have left is never written anew.
ALTER TABLE "email_messages" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "email_messages" ADD COLUMN "outcome_unknown" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Emails still to send were written under their campaign's approval of today (the send step
-- refused any other); a `sending` one may have left.
UPDATE "email_messages" m SET "content_hash" = c."approved_content_hash",
    "outcome_unknown" = (m."status" = 'sending')
  FROM "campaigns" c WHERE c."id" = m."campaign_id" AND m."status" IN ('queued', 'sending');
