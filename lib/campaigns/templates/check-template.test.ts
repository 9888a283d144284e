import { describe, expect, it } from "vitest";
import { checkTemplate } from "./check-template";

describe("checkTemplate", () => {
  it("accepts known variables and says which have a fallback, at their line and column", () => {
    const result = checkTemplate('Hi {{ first_name | default: "there" }},\nhow is {{ company }}?');
    expect(result.errors).toEqual([]);
    expect(result.variables).toEqual([
      { name: "first_name", hasFallback: true, line: 1, column: 7 },
      { name: "company", hasFallback: false, line: 2, column: 11 },
    ]);
  });

  it("reports a syntax error at its line and column", () => {
    expect(checkTemplate("Hello\nthere {{ first_name ").errors).toEqual([
      { line: 2, column: 7, message: expect.stringMatching(/not closed/) },
    ]);
    expect(checkTemplate("a\n  {% if title %}x").errors).toEqual([
      { line: 2, column: 3, message: expect.stringMatching(/\{% if title %\} is not closed/) },
    ]);
  });

  it("reports unknown variables at their position, and accepts custom fields", () => {
    const result = checkTemplate("{{ custom.industry }}\n  {{ frist_name }} {{ custom }}");
    expect(result.errors).toEqual([
      { line: 2, column: 6, message: expect.stringMatching(/^Unknown variable "frist_name"/) },
      { line: 2, column: 23, message: expect.stringMatching(/one custom field/) },
    ]);
    expect(result.variables.map((v) => v.name)).toEqual(["custom.industry", "frist_name", "custom"]);
  });

  it("checks custom fields against the workspace's keys when given", () => {
    expect(checkTemplate("{{ custom.industry }}", { customKeys: ["industry"] }).errors).toEqual([]);
    expect(checkTemplate("{{ custom.sector }}", { customKeys: ["industry"] }).errors).toEqual([
      { line: 1, column: 4, message: 'Unknown custom field "sector". Known: industry.' },
    ]);
  });

  it("refuses unknown filters and filters that are not on the list", () => {
    expect(checkTemplate("{{ first_name | shout }}").errors[0]?.message).toMatch(/Unknown filter "shout"/);
    expect(checkTemplate("{{ first_name | raw }}").errors[0]?.message).toMatch(/Unknown filter "raw"/);
  });

  it("counts a fallback only when default comes first, and refuses it later in the chain", () => {
    const late = checkTemplate('{{ first_name | capitalize | default: "there" }}');
    expect(late.errors).toEqual([{ line: 1, column: 1, message: expect.stringMatching(/right after the variable/) }]);
    expect(late.variables).toEqual([{ name: "first_name", hasFallback: false, line: 1, column: 4 }]);
    const first = checkTemplate('{{ first_name | default: "there" | capitalize }}');
    expect(first).toEqual({ errors: [], variables: [{ name: "first_name", hasFallback: true, line: 1, column: 4 }] });
  });

  it("a variable used as the fallback needs its own, and a tested one is safe", () => {
    const result = checkTemplate("{{ first_name | default: company }}{% if title %}, {{ title }}{% endif %}");
    expect(result.variables).toEqual([
      { name: "first_name", hasFallback: true, line: 1, column: 4 },
      { name: "company", hasFallback: false, line: 1, column: 26 },
      { name: "title", hasFallback: true, line: 1, column: 42 },
      { name: "title", hasFallback: true, line: 1, column: 55 },
    ]);
  });

  it("counts a print guarded by an if on the same variable as safe, and only there", () => {
    const source = [
      "{% if title %}As {{ title }}{% endif %}",
      "{% if title and city %}{{ city }}{% else %}{{ title }}{% endif %}",
      "{% unless custom.industry %}x{% else %}{{ custom.industry }}{% endunless %}",
      '{% if title == "CTO" %}{{ title }}{% endif %}',
      "{% if first_name %}{{ last_name }}{% endif %}",
    ].join("\n");
    // Conditions themselves are safe (an absent value is false); what matters is each print.
    const uses = checkTemplate(source).variables.map((v) => [v.line, v.column, v.name, v.hasFallback]);
    expect(uses).toEqual([
      [1, 7, "title", true],
      [1, 21, "title", true],
      [2, 7, "title", true],
      [2, 17, "city", true],
      [2, 27, "city", true],
      [2, 47, "title", false],
      [3, 11, "custom.industry", true],
      [3, 43, "custom.industry", true],
      [4, 7, "title", true],
      [4, 27, "title", false],
      [5, 7, "first_name", true],
      [5, 23, "last_name", false],
    ]);
  });

  it("refuses every tag that reads files, loops or sets variables, where it stands", () => {
    for (const [source, reason] of [
      ["{% include '/etc/passwd' %}", /include other files/],
      ["{% render 'x' %}", /include other files/],
      ["{% layout 'x' %}", /include other files/],
      ["{% for i in (1..100000000) %}x{% endfor %}", /cannot loop/],
      ['{% assign first_name = "x" %}', /set variables/],
      ["{% capture x %}y{% endcapture %}", /set variables/],
      ["{% raw %}{{ first_name }}{% endraw %}", /template markup/],
      ["{% liquid echo first_name %}", /liquid tag/],
    ] as const) {
      const errors = checkTemplate(`Hello\n  ${source}`).errors;
      expect(errors, source).toEqual([{ line: 2, column: 3, message: expect.stringMatching(reason) }]);
    }
  });

  it("treats JavaScript property names as unknown variables", () => {
    for (const source of ["{{ constructor }}", "{{ first_name.constructor }}", "{{ custom.__proto__.x }}"]) {
      expect(checkTemplate(source).errors, source).toHaveLength(1);
    }
  });

  it("is fine with plain text and comments", () => {
    expect(checkTemplate("Just text.\n{% comment %}{{ nothing }}{% endcomment %}")).toEqual({ errors: [], variables: [] });
  });
});
