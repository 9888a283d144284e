-- Live keys that already share a name (any case) keep the first; the later ones are told apart by a number.
UPDATE "api_keys" k SET "name" = left(k."name", 94) || ' (' || d.rn || ')'
FROM (
  SELECT id, row_number() OVER (PARTITION BY workspace_id, lower(name) ORDER BY created_at, id) AS rn
  FROM "api_keys" WHERE revoked_at IS NULL
) d
WHERE d.id = k.id AND d.rn > 1;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_live_name_key" ON "api_keys" USING btree ("workspace_id",lower("name")) WHERE "api_keys"."revoked_at" is null;
