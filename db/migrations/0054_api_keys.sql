CREATE TYPE "public"."api_key_scope" AS ENUM('read', 'read_write');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"scope" "api_key_scope" NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	CONSTRAINT "api_keys_name_length" CHECK (char_length("api_keys"."name") between 1 and 100),
	CONSTRAINT "api_keys_secret_hash_shape" CHECK ("api_keys"."secret_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "api_keys_prefix_length" CHECK (char_length("api_keys"."prefix") between 4 and 20)
);
--> statement-breakpoint
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "api_keys_workspace_created_idx" ON "api_keys" USING btree ("workspace_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "api_keys_admins_select" ON "api_keys" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("api_keys"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "api_keys_admins_insert" ON "api_keys" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("api_keys"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]) and "api_keys"."created_by" = (select auth.uid()) and "api_keys"."revoked_at" is null);--> statement-breakpoint
CREATE POLICY "api_keys_admins_update" ON "api_keys" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("api_keys"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[])) WITH CHECK ("api_keys"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));-- Hand-written (issue 17): API keys act as their creator capped to their scope's role, in their
-- workspace only. The server puts the cap in the request's claims as `api_key` ({id,
-- workspace_id, role}); the membership helpers below apply it, so every policy that asks them
-- holds a key to its workspace and role. A claim can only narrow what the user may do (the
-- lower of the member's role and the claim's, and one workspace of theirs), so even a
-- token that somehow carried one could gain nothing by it.
CREATE OR REPLACE FUNCTION private.api_key_claim()
RETURNS jsonb
LANGUAGE sql STABLE SET search_path = ''
AS $$
  SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb -> 'api_key';
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.in_api_key_workspace(target_workspace uuid)
RETURNS boolean
LANGUAGE sql STABLE SET search_path = ''
AS $$
  SELECT k IS NULL OR target_workspace::text = (k ->> 'workspace_id') FROM (SELECT private.api_key_claim() AS k) s;
$$;--> statement-breakpoint

-- The member's role, or the key's when that is lower; 'none' for a claim naming no known role.
CREATE OR REPLACE FUNCTION private.capped_role(member_role text)
RETURNS text
LANGUAGE sql STABLE SET search_path = ''
AS $$
  SELECT CASE
    WHEN k IS NULL THEN member_role
    WHEN array_position(r, k ->> 'role') IS NULL THEN 'none'
    WHEN array_position(r, k ->> 'role') < array_position(r, member_role) THEN k ->> 'role'
    ELSE member_role
  END
  FROM (SELECT private.api_key_claim() AS k, array['viewer', 'analyst', 'sales_rep', 'manager', 'admin']::text[] AS r) s;
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.is_workspace_member(target_workspace uuid)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM public.workspace_members m
    WHERE m.workspace_id = target_workspace AND m.user_id = (SELECT auth.uid())
      AND private.in_api_key_workspace(m.workspace_id)
  );
END;
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.has_workspace_role(target_workspace uuid, allowed_roles text[])
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM public.workspace_members m
    WHERE m.workspace_id = target_workspace
      AND m.user_id = (SELECT auth.uid())
      AND private.in_api_key_workspace(m.workspace_id)
      AND private.capped_role(m.role::text) = ANY (allowed_roles)
  );
END;
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.shares_workspace_with(other_user uuid)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1
    FROM public.workspace_members mine
    JOIN public.workspace_members theirs ON theirs.workspace_id = mine.workspace_id
    WHERE mine.user_id = (SELECT auth.uid()) AND theirs.user_id = other_user
      AND private.in_api_key_workspace(mine.workspace_id)
  );
END;
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.member_workspace_ids()
RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT coalesce(array_agg(m.workspace_id), '{}')
  FROM public.workspace_members m
  WHERE m.user_id = (SELECT auth.uid()) AND private.in_api_key_workspace(m.workspace_id);
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.workspace_ids_with_role(allowed_roles text[])
RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT coalesce(array_agg(m.workspace_id), '{}')
  FROM public.workspace_members m
  WHERE m.user_id = (SELECT auth.uid())
    AND private.in_api_key_workspace(m.workspace_id)
    AND private.capped_role(m.role::text) = ANY (allowed_roles);
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.teammate_ids()
RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT coalesce(array_agg(DISTINCT theirs.user_id), '{}')
  FROM public.workspace_members mine
  JOIN public.workspace_members theirs ON theirs.workspace_id = mine.workspace_id
  WHERE mine.user_id = (SELECT auth.uid()) AND private.in_api_key_workspace(mine.workspace_id);
$$;--> statement-breakpoint

REVOKE ALL ON FUNCTION private.api_key_claim(), private.in_api_key_workspace(uuid), private.capped_role(text) FROM public;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.api_key_claim(), private.in_api_key_workspace(uuid), private.capped_role(text) TO authenticated, service_role;--> statement-breakpoint

-- Every audited change made through a key names the key, whatever service wrote the entry.
CREATE OR REPLACE FUNCTION private.audit_log_api_key()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
DECLARE
  k jsonb := private.api_key_claim();
BEGIN
  IF k IS NOT NULL AND k ? 'id' THEN
    NEW.metadata := coalesce(NEW.metadata, '{}'::jsonb) || jsonb_build_object('api_key_id', k ->> 'id');
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_api_key BEFORE INSERT ON public.audit_log FOR EACH ROW EXECUTE FUNCTION private.audit_log_api_key();--> statement-breakpoint

-- The hash never leaves the database for a user (the server compares it with the service role);
-- admins may only revoke a key, not rewrite it. There is no delete policy: nobody deletes a key
-- (the audit log names it). (anon keeps the same columns as on every table, where no policy
-- shows it a row.)
REVOKE SELECT, UPDATE ON public.api_keys FROM anon, authenticated;--> statement-breakpoint
GRANT SELECT (id, workspace_id, name, scope, prefix, created_by, created_at, expires_at, last_used_at, revoked_at, revoked_by)
  ON public.api_keys TO anon, authenticated;--> statement-breakpoint
GRANT UPDATE (revoked_at, revoked_by) ON public.api_keys TO authenticated;
