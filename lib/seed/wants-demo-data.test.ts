import { describe, expect, it } from "vitest";
import { wantsDemoData } from "./wants-demo-data";

describe("wantsDemoData", () => {
  it("seeds `npm run dev` on the embedded database unless SEED_DEMO_DATA=false", () => {
    expect(wantsDemoData({ mode: "dev", embeddedDatabase: true, seedDemoData: undefined })).toBe(true);
    expect(wantsDemoData({ mode: "dev", embeddedDatabase: true, seedDemoData: false })).toBe(false);
  });

  it("never seeds `npm start` unless SEED_DEMO_DATA=true, embedded database or not", () => {
    expect(wantsDemoData({ mode: "start", embeddedDatabase: true, seedDemoData: undefined })).toBe(false);
    expect(wantsDemoData({ mode: "start", embeddedDatabase: false, seedDemoData: undefined })).toBe(false);
    expect(wantsDemoData({ mode: "start", embeddedDatabase: true, seedDemoData: true })).toBe(true);
  });

  it("leaves an external database alone in development unless SEED_DEMO_DATA=true", () => {
    expect(wantsDemoData({ mode: "dev", embeddedDatabase: false, seedDemoData: undefined })).toBe(false);
    expect(wantsDemoData({ mode: "dev", embeddedDatabase: false, seedDemoData: true })).toBe(true);
  });
});
