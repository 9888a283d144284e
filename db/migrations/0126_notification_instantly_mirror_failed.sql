-- A notification to the admins when a pause, resume or stop could not be made on the Instantly
-- campaign that sends a campaign of ours (lib/integrations/instantly/push/mirror-failed.ts).
ALTER TYPE "public"."notification_kind" ADD VALUE 'instantly_mirror_failed';
