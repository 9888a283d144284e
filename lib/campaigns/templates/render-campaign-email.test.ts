import { describe, expect, it } from "vitest";
import { formatAddress, renderCampaignEmail, type RenderCampaignEmailInput } from "./render-campaign-email";
import { templateValuesOf, type TemplateLead } from "./template-values";

const LEAD: TemplateLead = {
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@example.com",
  title: "CTO",
  seniority: null,
  department: null,
  companyName: "Analytical Engines",
  city: "London",
  country: "GB",
  customFields: { industry: "Computing" },
  enrichment: {},
};
const UNSUBSCRIBE = "https://app.example.com/unsubscribe/tok123";

function input(overrides: Partial<RenderCampaignEmailInput> & { lead?: Partial<TemplateLead> } = {}): RenderCampaignEmailInput {
  const { lead, ...rest } = overrides;
  return {
    subject: "Hi {{ first_name }}",
    body: "Hello {{ first_name }},\n\nHow is {{ company }}?",
    values: templateValuesOf({ ...LEAD, ...lead }),
    identity: {
      fromName: "Sam Seller",
      fromEmail: "sam@acme.test",
      replyTo: "replies@acme.test",
      signature: "Sam\nAcme",
      postalAddress: "1 Main St\nSpringfield",
    },
    unsubscribeUrl: UNSUBSCRIBE,
    plainTextOnly: false,
    ...rest,
  };
}

function rendered(i: RenderCampaignEmailInput) {
  const result = renderCampaignEmail(i);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.email;
}

describe("renderCampaignEmail", () => {
  it("renders subject, text and HTML with the footer, signature and one-click unsubscribe headers", () => {
    const email = rendered(input());
    expect(email.subject).toBe("Hi Ada");
    expect(email.from).toBe('"Sam Seller" <sam@acme.test>');
    expect(email.replyTo).toBe("replies@acme.test");
    expect(email.text).toBe(
      `Hello Ada,\n\nHow is Analytical Engines?\n\nSam\nAcme\n\n--\n1 Main St\nSpringfield\nUnsubscribe: ${UNSUBSCRIBE}\n`,
    );
    expect(email.html).toContain('<p style="margin:0 0 14px;line-height:1.5">Hello Ada,</p>');
    expect(email.html).toContain("How is Analytical Engines?</p>");
    expect(email.html).toContain("Sam<br>\nAcme");
    expect(email.html).toContain("1 Main St<br>Springfield");
    expect(email.html).toContain(`<a href="${UNSUBSCRIBE}" style="color:#71717a">Unsubscribe</a>`);
    expect(email.headers).toEqual({
      "List-Unsubscribe": `<${UNSUBSCRIBE}>, <mailto:replies@acme.test?subject=unsubscribe>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  it("blocks a lead whose variable is empty and has no fallback, saying which and where", () => {
    const result = renderCampaignEmail(input({ lead: { firstName: "  " } }));
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          part: "subject",
          line: 1,
          column: 7,
          variable: "first_name",
          message: expect.stringMatching(/^first_name is empty for this lead/),
        },
        { part: "body", line: 1, column: 10, variable: "first_name", message: expect.stringMatching(/has no fallback/) },
      ],
    });
  });

  it("uses the fallback for an empty value, and the value when there is one", () => {
    const i = { subject: 'Hi {{ first_name | default: "there" }}', body: "{% if title %}As {{ title }}, {% endif %}hello." };
    expect(rendered(input({ ...i, lead: { firstName: null, title: null } }))).toMatchObject({ subject: "Hi there" });
    expect(rendered(input({ ...i, lead: { firstName: null, title: null } })).text).toMatch(/^hello\./);
    expect(rendered(input({ ...i, lead: { title: "CTO" } }))).toMatchObject({ subject: "Hi Ada" });
    expect(rendered(input({ ...i, lead: { title: "CTO" } })).text).toMatch(/^As CTO, hello\./);
  });

  it("blocks an empty custom field without a fallback and fills one that is set", () => {
    expect(rendered(input({ body: "In {{ custom.industry }}." })).text).toMatch(/^In Computing\./);
    const result = renderCampaignEmail(input({ body: "In {{ custom.industry }}.", lead: { customFields: {} } }));
    expect(result.ok === false && result.problems).toEqual([expect.objectContaining({ variable: "custom.industry" })]);
  });

  it("blocks unknown variables and syntax errors with their position", () => {
    const result = renderCampaignEmail(input({ subject: "Hi {{ frist_name }}", body: "Hello\n{% if %}" }));
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.problems).toEqual([
      { part: "subject", line: 1, column: 7, message: expect.stringMatching(/Unknown variable "frist_name"/) },
      { part: "body", line: 2, column: 6, message: "This tag is missing its condition or value." },
    ]);
  });

  it("escapes HTML in lead values in the HTML part and keeps them as typed in the text part", () => {
    const name = `<script>alert("x")</script>`;
    const email = rendered(input({ lead: { firstName: name, companyName: "A & B <b>" } }));
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,");
    expect(email.html).toContain("How is A &amp; B &lt;b&gt;?");
    expect(email.text).toContain(`Hello ${name},`);
    expect(email.subject).toBe(`Hi ${name}`);
  });

  it("escapes the author's own text too: the body is plain text, never HTML", () => {
    const email = rendered(input({ body: 'Hi <img src=x onerror="alert(1)">' }));
    expect(email.html).toContain("Hi &lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("makes the author's links clickable but never a lead's", () => {
    const email = rendered(input({ body: "See https://acme.test/demo?a=1&b=2. From {{ company }}" }));
    expect(email.html).toContain('See <a href="https://acme.test/demo?a=1&amp;b=2">https://acme.test/demo?a=1&amp;b=2</a>.');
    const evil = rendered(input({ body: "From {{ company }}", lead: { companyName: "https://evil.test/x" } }));
    expect(evil.html).toContain("From https://evil.test/x</p>");
    expect(evil.html).not.toContain('href="https://evil.test');
    // A value with a blank line in it (a CSV's quoted cell keeps one) spans paragraphs: its second half is still the lead's.
    const split = rendered(
      input({ body: "From {{ company }}, see https://acme.test/", lead: { companyName: "Acme\n\nhttps://evil.test/x" } }),
    );
    expect(split.html).toContain("https://evil.test/x, see");
    expect(split.html).not.toContain('href="https://evil.test');
    expect(split.html).toContain('<a href="https://acme.test/">');
  });

  it("keeps a lead value from ending the subject line or faking markup", () => {
    expect(rendered(input({ lead: { firstName: "Ada\r\nBcc: x@y.z" } })).subject).toBe("Hi Ada Bcc: x@y.z");
    const result = renderCampaignEmail(input({ body: `{{ "{{ first_name }}" }}` }));
    expect(result.ok === false && result.problems[0]?.message).toMatch(/template markup/);
    expect(rendered(input({ body: "{{ first_name }}", lead: { firstName: "\uE001<b>x</b>\uE000" } })).html).toContain(
      "&lt;b&gt;x&lt;/b&gt;",
    );
  });

  it("sends text only in plain-text-only mode", () => {
    const email = rendered(input({ plainTextOnly: true }));
    expect(email.html).toBeNull();
    expect(email.text).toContain(`Unsubscribe: ${UNSUBSCRIBE}`);
  });

  it("refuses an identity without a postal address", () => {
    const result = renderCampaignEmail(input({ identity: { ...input().identity, postalAddress: " " } }));
    expect(result.ok === false && result.problems).toEqual([
      { part: "identity", message: expect.stringMatching(/sam@acme.test has no postal address/) },
    ]);
  });

  it("refuses an email whose subject or body renders empty", () => {
    const result = renderCampaignEmail(input({ subject: "{% if title %}{% endif %}", body: " " }));
    expect(result.ok === false && result.problems.map((p) => p.message)).toEqual([
      "The subject is empty for this lead.",
      "The body is empty for this lead.",
    ]);
  });

  it("reads nothing but the lead's own values: files, prototypes and code are out of reach", () => {
    for (const body of [
      "{% include '/etc/passwd' %}",
      "{% render '../../.env' %}",
      "{{ constructor }}",
      "{{ custom.constructor }}",
      "{{ custom.__proto__ }}",
      "{{ first_name.constructor.constructor }}",
      "{{ first_name | raw }}",
      "{% assign x = first_name %}{{ x }}",
    ]) {
      const result = renderCampaignEmail(input({ body }));
      expect(result.ok, body).toBe(false);
    }
    // A lead's own custom field named like a prototype member is just data.
    expect(rendered(input({ body: "{{ custom.constructor }}", lead: { customFields: { constructor: "ok" } } })).text).toMatch(/^ok/);
  });
});

describe("formatAddress", () => {
  it("keeps a sender's name from ending the From header or its quotes", () => {
    expect(formatAddress('Zoë "ZM" Martin\r\nBcc: list@attacker.example', "zoe@acme.example")).toBe(
      '"Zoë \\"ZM\\" Martin Bcc: list@attacker.example" <zoe@acme.example>',
    );
    expect(formatAddress("Back\\slash", "b@acme.example")).toBe('"Back\\\\slash" <b@acme.example>');
    expect(formatAddress(" \r\n ", "plain@acme.example")).toBe("plain@acme.example");
  });
});
