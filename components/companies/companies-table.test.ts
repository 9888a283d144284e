import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { CompanyListRow } from "@/lib/companies/company-types";
import { DEFAULT_COMPANY_LIST_STATE } from "@/lib/companies/list-state";
import { CompaniesTable } from "./companies-table";

const company: CompanyListRow = {
  id: "00000000-0000-4000-8000-000000000005",
  name: "Ångström Labs",
  domain: "angstrom.example",
  industry: "Software",
  employeeCount: 120,
  country: "Sweden",
  city: "Uppsala",
  leadCount: 3,
  sampleData: false,
  createdAt: "2026-11-30T12:00:00.000Z",
};

describe("CompaniesTable", () => {
  it("marks a company a vendor's sandbox invented as sample data, and only that one", () => {
    const rows = [company, { ...company, id: "00000000-0000-4000-8000-000000000006", name: "Sandbox Corp", sampleData: true }];
    const html = renderToStaticMarkup(createElement(CompaniesTable, { rows, state: DEFAULT_COMPANY_LIST_STATE }));
    expect(html.match(/data-testid="company-row-sample"/g)).toHaveLength(1);
    expect(html).toContain("This company was invented by one of this app&#x27;s vendor sandboxes, not read from a vendor.");
  });
});
