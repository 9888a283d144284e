import { describe, expect, it } from "vitest";
import { joinListValues, splitListValues } from "./list-values";

describe("a list parameter's values", () => {
  it("splits on commas, trimming and leaving out empty values, as links always did", () => {
    expect(splitListValues("Software, Retail,,  ")).toEqual(["Software", "Retail"]);
    expect(splitListValues("")).toEqual([]);
  });
  it("keeps a quoted value whole, with its commas and doubled quotes", () => {
    expect(splitListValues('"Leisure, Travel & Tourism",Retail')).toEqual(["Leisure, Travel & Tourism", "Retail"]);
    expect(splitListValues(' "Korea, Republic of" , France')).toEqual(["Korea, Republic of", "France"]);
    expect(splitListValues('"Say ""hi"", then go"')).toEqual(['Say "hi", then go']);
    expect(splitListValues('"unclosed, to the end')).toEqual(["unclosed, to the end"]);
  });
  it("quotes only the values that need it, and reads back what it wrote", () => {
    const values = ["Software", "Leisure, Travel & Tourism", 'The "Best" Co', "Ångström, Société"];
    expect(joinListValues(["Software", "Retail"])).toBe("Software,Retail");
    expect(joinListValues(values)).toBe('Software,"Leisure, Travel & Tourism","The ""Best"" Co","Ångström, Société"');
    expect(splitListValues(joinListValues(values))).toEqual(values);
    expect(splitListValues(joinListValues(values, ", "))).toEqual(values);
  });
});
