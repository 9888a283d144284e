import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { CompanyLeadRow } from "@/lib/companies/company-types";
import { CompanyLeadsTable } from "./company-leads-table";

const lead: CompanyLeadRow = {
  id: "00000000-0000-4000-8000-000000000003",
  firstName: "Zoë",
  lastName: "Ångström",
  title: "Head of Sales",
  email: "zoe@angstrom.example",
  linkedinUrl: null,
  status: "new",
  score: 40,
  source: "apollo",
  sampleData: null,
  ownerName: null,
  lastActivityAt: null,
  createdAt: "2026-11-30T12:00:00.000Z",
};

describe("CompanyLeadsTable", () => {
  it("marks the company's leads that hold sample data from a vendor's sandbox, and only those", () => {
    const html = renderToStaticMarkup(
      createElement(CompanyLeadsTable, { rows: [lead, { ...lead, id: "00000000-0000-4000-8000-000000000004", sampleData: "lead" }] }),
    );
    expect(html.match(/data-testid="lead-row-sample"/g)).toHaveLength(1);
    expect(html).toContain("This lead is sample data from the Apollo sandbox, not a real person.");
  });
});
