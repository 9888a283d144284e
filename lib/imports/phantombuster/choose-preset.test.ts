import { describe, expect, it } from "vitest";
import { choosePhantomBusterPreset } from "./choose-preset";

describe("choosePhantomBusterPreset", () => {
  it("takes the PhantomBuster preset whose headers the file has most of", () => {
    const salesNav = choosePhantomBusterPreset([
      "profileUrl",
      "fullName",
      "firstName",
      "lastName",
      "companyName",
      "title",
      "defaultProfileUrl",
      "vmid",
    ]);
    expect(salesNav.preset.id).toBe("phantombuster_sales_navigator");
    expect("mapping" in salesNav && salesNav.mapping.columns[6]).toEqual({ kind: "field", field: "linkedin_url" });

    const scraper = choosePhantomBusterPreset(["linkedinProfileUrl", "firstName", "lastName", "linkedinHeadline", "professionalEmail"]);
    expect(scraper.preset.id).toBe("phantombuster_profile_scraper");
    expect("mapping" in scraper && scraper.mapping.columns[4]).toEqual({ kind: "field", field: "email" });
  });

  it("never falls back to the generic preset, and says what is missing when no column gives a lead's identity", () => {
    // Two headers only (detection would call this a generic file): Sales Navigator's preset
    // keeps profileUrl as a custom field, so the search export's, which reads it as the lead's
    // LinkedIn URL, is taken despite the tie.
    const few = choosePhantomBusterPreset(["profileUrl", "fullName"]);
    expect(few.preset.id).toBe("phantombuster_linkedin_search");
    expect("mapping" in few && few.mapping.columns[0]).toEqual({ kind: "field", field: "linkedin_url" });
    const none = choosePhantomBusterPreset(["name", "company"]);
    expect(none).toMatchObject({ problem: "Map a column to Email or LinkedIn URL: every lead needs one of them." });
  });
});
