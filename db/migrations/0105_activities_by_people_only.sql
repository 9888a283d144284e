-- A person's token (the Data API) could add any entry to a lead's timeline, dated any time: a
-- made-up "email replied" or "bounced" entry, or a note dated last year or next year (which
-- also moved the lead's last_activity_at). The timeline is the record of what happened, so a
-- person now adds only what people do (PERSON_ACTIVITY_TYPES in db/schema/lead-activities.ts),
-- dated between their transaction's start and the insert. Jobs and webhooks write the rest on
-- the service connection, as before.
ALTER POLICY "lead_activities_editors_insert" ON "lead_activities" TO authenticated WITH CHECK ("lead_activities"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "lead_activities"."actor_id" = (select auth.uid())
        and "lead_activities"."type" in ('created', 'field_changed', 'status_changed', 'owner_changed', 'tags_changed', 'note_added', 'deleted', 'restored', 'reply_action_undone', 'referral_added')
        and "lead_activities"."created_at" between now() and clock_timestamp());