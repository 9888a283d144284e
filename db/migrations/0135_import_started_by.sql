-- Who started an import (chose its mapping and rules), whose rights its job acts with on every
-- run: a resume took the uploader's, so a manager's start of a sales rep's file ran its second
-- half as the rep (and stopped, its owners not the rep's to give). Written by the server when the
-- job is first asked for; no member is granted to write it (0018's column grants).
ALTER TABLE "lead_imports" ADD COLUMN "started_by" uuid;--> statement-breakpoint
ALTER TABLE "lead_imports" ADD CONSTRAINT "lead_imports_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;