-- Imports look companies up by exact name (rows naming a company without a domain): 0125 moved
-- the name index to the lower-cased sort key, and each look-up then read every company of the
-- workspace (2.3 s of every 10,000-row batch at 100,000 companies, bench:import).
CREATE INDEX "companies_workspace_exact_name_idx" ON "companies" USING btree ("workspace_id","name","created_at","id");
