import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect as connectSocket } from "node:net";
import { sql } from "drizzle-orm";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { IMPORT_MAX_COLUMNS } from "@/lib/imports/types";
import { can } from "@/lib/auth/permissions";
import { WORKSPACE_ROLES } from "@/lib/auth/roles";
import { type Session } from "@/lib/auth/session";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { sessionOf } from "@/tests/fixtures/sessions";
import { uploadResponse, type UploadLimits } from "./upload-response";

let fx: TenancyFixture;
let server: Server;
let base: string;
/** Who the next request is from (the route reads the session from cookies; the test hands it over). */
let caller: Session | null = null;
const limits: UploadLimits = {
  maxBytes: 256 * 1024,
  maxRows: 1000,
  maxConcurrent: 1,
  perUser: { name: "import-upload-user-test", points: 100, durationSeconds: 3600 },
  perWorkspace: { name: "workspace-uploads-test", points: 1000, durationSeconds: 3600 },
};
const answered: Promise<Response>[] = [];

/**
 * Serves uploadResponse over real HTTP the way Next hands a route its request: the Node
 * request as a streamed body (not buffered), and a signal that aborts when the client goes away.
 */
async function serve(): Promise<void> {
  server = createServer((req, res) => {
    const controller = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const request = new Request(`${base}${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req as unknown as BodyInit,
      duplex: "half",
      signal: controller.signal,
    } as RequestInit);
    const response = uploadResponse(caller, request, limits);
    answered.push(response.then((r) => r.clone()));
    void response.then(async (r) => {
      res.writeHead(r.status, Object.fromEntries(r.headers));
      res.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  await serve();
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await removeTenancyFixture(fx, serviceDb());
});

async function upload(body: BodyInit | Uint8Array, fileName = "leads.csv", headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api/imports`, {
    method: "POST",
    headers: { "x-file-name": encodeURIComponent(fileName), "content-type": "text/csv", ...headers },
    body: body as BodyInit,
    duplex: "half",
  } as RequestInit);
  return { status: response.status, json: (await response.json()) as { importId?: string; error?: string } };
}

async function importsOf(workspaceId: string) {
  return serviceDb().execute<{ id: string }>(sql`select id from public.lead_imports where workspace_id = ${workspaceId}`);
}

async function rowsOf(importId: string): Promise<string[][]> {
  const rows = await serviceDb().execute<{ fields: string[] }>(
    sql`select fields from public.lead_import_rows where import_id = ${importId} order by row_number`,
  );
  return rows.map((r) => r.fields);
}

describe("POST /api/imports", () => {
  it("stores the file as an import in status mapping, its rows as written and an issue for each row it could not parse", async () => {
    caller = await sessionOf(fx.a.members.sales_rep, fx.a.id);
    const file = [
      "Email,First Name,,Email,Note",
      "zoe@x.test,Zoë,,,plain",
      "bob@x.test,Bob",
      "",
      " , \u00a0",
      "cy@x.test,Cy,,,too,many",
      'dee@x.test,Dee,,,"never closed, ""here""\nand on',
    ].join("\r\n");
    const { status, json } = await upload(file, "Apollo export (2026).csv");
    expect(status).toBe(201);
    const [row] = await serviceDb().execute(sql`
      select workspace_id, created_by, file_name, file_size, encoding, delimiter, headers, total_rows, status,
        processed_rows, inserted, updated, skipped, failed
      from public.lead_imports where id = ${json.importId!}`);
    expect(row).toEqual({
      workspace_id: fx.a.id,
      created_by: fx.a.members.sales_rep.id,
      file_name: "Apollo export (2026).csv",
      file_size: String(Buffer.byteLength(file)),
      encoding: "utf-8",
      delimiter: ",",
      headers: ["Email", "First Name", "", "Email", "Note"],
      total_rows: 6,
      status: "mapping",
      processed_rows: 0,
      inserted: 0,
      updated: 0,
      skipped: 0,
      failed: 0,
    });
    expect(await rowsOf(json.importId!)).toEqual([
      ["zoe@x.test", "Zoë", "", "", "plain"],
      ["bob@x.test", "Bob"],
      [""],
      [" ", " \u00a0"],
      ["cy@x.test", "Cy", "", "", "too", "many"],
      ["dee@x.test", "Dee", "", "", 'never closed, "here"\nand on'],
    ]);
    const issues = await serviceDb().execute(sql`
      select row_number, outcome, reason, detail from public.lead_import_issues where import_id = ${json.importId!} order by row_number`);
    expect(issues).toEqual([
      {
        row_number: 2,
        outcome: "failed",
        reason: "malformed_row",
        detail: "Row has a different number of columns than the header: it has 2 values, the header has 5 columns.",
      },
      // Rows 3 and 4 hold blank values only: rows the job skips as empty, as the preview says.
      {
        row_number: 5,
        outcome: "failed",
        reason: "malformed_row",
        detail: "Row has a different number of columns than the header: it has 6 values, the header has 5 columns.",
      },
      {
        row_number: 6,
        outcome: "failed",
        reason: "unclosed_quote",
        detail:
          'A quoted value is never closed: the file ends inside a value that opens with a quote ("), so the rest of the file was read as this row. Close the quote and upload the row again.',
      },
    ]);
  });

  it("round-trips every awkward value through COPY exactly, from a streamed (chunked) body", async () => {
    caller = await sessionOf(fx.a.members.manager, fx.a.id);
    const values = [
      "back\\slash \\N \\\\ \\t",
      'quote " and ""',
      "{braces},{}",
      "comma, here",
      "tab\there",
      "new\nline\r\nand\rcr",
      "NULL",
      "",
      " ",
      "Zoë Ångström – Łódź",
      "emoji 😀👍🏽",
      '=HYPERLINK("http://x")',
      "<b>html</b>",
    ];
    const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const file = `${values.map((_, i) => `c${i}`).join(",")}\n${values.map(quote).join(",")}\n`;
    const bytes = Buffer.from(file);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.subarray(i, i + 7));
        controller.close();
      },
    });
    const { status, json } = await upload(stream);
    expect(status).toBe(201);
    expect(await rowsOf(json.importId!)).toEqual([values]);
  });

  it("stores a Windows-1252 file with semicolons, and a UTF-16 file with tabs, decoded", async () => {
    caller = await sessionOf(fx.a.members.admin, fx.a.id);
    const latin = await upload(iconv.encode("Email;Name\nrenee@x.test;Renée Lefèvre – €\n", "windows-1252"));
    expect(latin.status).toBe(201);
    expect(await rowsOf(latin.json.importId!)).toEqual([["renee@x.test", "Renée Lefèvre – €"]]);
    const utf16 = await upload(iconv.encode("Email\tName\r\nzoe@x.test\tZoë 😀\r\n", "utf-16le", { addBOM: true }));
    expect(utf16.status).toBe(201);
    expect(await rowsOf(utf16.json.importId!)).toEqual([["zoe@x.test", "Zoë 😀"]]);
    const [latinRow] = await serviceDb().execute(
      sql`select encoding, delimiter from public.lead_imports where id = ${latin.json.importId!}`,
    );
    expect(latinRow).toEqual({ encoding: "windows-1252", delimiter: ";" });
  });

  it("stores a Windows-1252 file whose first accent lies past the first 64 KB as windows-1252, every row decoded", async () => {
    caller = await sessionOf(fx.a.members.admin, fx.a.id);
    const filler = `a@x.test;${"Ann ".repeat(25)}\n`.repeat(700);
    const bytes = iconv.encode(`Email;Name\n${filler}renee@x.test;Renée Lefèvre – €\n`, "windows-1252");
    // The accent arrives only once the route has detected UTF-8 from its 64 KB sample and
    // begun storing rows (its COPY is running).
    const accent = bytes.indexOf(0xe9);
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(bytes.subarray(0, accent));
        await expect
          .poll(
            async () =>
              (
                await serviceDb().execute(
                  sql`select 1 from pg_stat_activity where query like 'copy public.lead_import_rows%' and state = 'active'`,
                )
              ).length,
            { timeout: 10_000, interval: 20 },
          )
          .toBe(1);
        controller.enqueue(bytes.subarray(accent));
        controller.close();
      },
    });
    const { status, json } = await upload(stream);
    expect(status).toBe(201);
    const rows = await rowsOf(json.importId!);
    expect(rows).toHaveLength(701);
    expect(rows.at(-1)).toEqual(["renee@x.test", "Renée Lefèvre – €"]);
    const [stored] = await serviceDb().execute(sql`select encoding from public.lead_imports where id = ${json.importId!}`);
    expect(stored).toEqual({ encoding: "windows-1252" });
  });

  it.each([
    [
      "a PNG image",
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      415,
      /^This file is a PNG image, not a CSV file/,
    ],
    ["an .xlsx workbook", Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0, 8, 0]), 415, /\.xlsx Excel workbook, save it as CSV/],
    ["a PDF", Buffer.from("%PDF-1.4\n%âãÏÓ\n"), 415, /PDF document/],
    ["text with NUL bytes", Buffer.from("Email,Name\na@x.test,A\0nn\n"), 415, /NUL bytes/],
    ["an empty file", Buffer.alloc(0), 422, /^The file is empty\./],
    ["a header only", Buffer.from("Email,First Name\r\n"), 422, /^The file has a header line but no rows of leads under it\.$/],
    [
      "a header over blank lines only",
      Buffer.from("Email,First Name\r\n\r\n , \r\n,\r\n"),
      422,
      /^The file has a header line but no rows of leads under it\.$/,
    ],
    ["an empty first line", Buffer.from("\na@x.test\n"), 422, /^The first line of the file is empty/],
    [
      "too many rows",
      Buffer.from("Email\n" + "a@x.test\n".repeat(limits.maxRows + 1)),
      413,
      /^The file has more than 1,000 rows: split it/,
    ],
  ])("refuses %s in words, leaving nothing behind", async (_, body, status, message) => {
    caller = await sessionOf(fx.b.members.sales_rep, fx.b.id);
    const before = await importsOf(fx.b.id);
    const response = await upload(body);
    expect(response.status).toBe(status);
    expect(response.json.error).toMatch(message);
    expect(await importsOf(fx.b.id)).toEqual(before);
  });

  it("refuses a file over the size limit from its Content-Length before reading it, and a chunked one as its bytes pass the limit", async () => {
    caller = await sessionOf(fx.b.members.sales_rep, fx.b.id);
    // Announces a large body and sends none of it: the answer cannot have waited for the body.
    const socket = connectSocket((server.address() as AddressInfo).port, "127.0.0.1");
    socket.write(
      `POST /api/imports HTTP/1.1\r\nHost: x\r\nx-file-name: big.csv\r\nContent-Type: text/csv\r\nContent-Length: ${limits.maxBytes + 1}\r\n\r\n`,
    );
    const head = await new Promise<string>((resolve) => socket.once("data", (data: Buffer) => resolve(data.toString())));
    socket.destroy();
    expect(head).toMatch(/^HTTP\/1\.1 413/);
    expect(head).toContain('{"error":"The file is larger than 0 MB: split it into smaller files."}');

    const line = Buffer.from(`someone@example.test,${"Someone ".repeat(40)}\n`);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(Buffer.from("Email,Name\n"));
      },
      pull(controller) {
        sent += line.length * 100;
        controller.enqueue(Buffer.concat(Array.from({ length: 100 }, () => line)));
        if (sent > limits.maxBytes * 4) controller.close();
      },
    });
    const chunked = await upload(endless);
    expect(chunked.status).toBe(413);
    expect(chunked.json.error).toBe("The file is larger than 0 MB: split it into smaller files.");
    expect(await importsOf(fx.b.id)).toEqual([]);
  });

  it("leaves no half-import behind when the client goes away half-way through the body", async () => {
    caller = await sessionOf(fx.b.members.admin, fx.b.id);
    const file = Buffer.from("Email,Name\n" + `someone@example.test,${"Someone ".repeat(20)}\n`.repeat(900));
    for (const framing of ["content-length", "chunked"] as const) {
      const socket = connectSocket((server.address() as AddressInfo).port, "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      const half = file.subarray(0, file.length / 2);
      const headers = framing === "chunked" ? "Transfer-Encoding: chunked" : `Content-Length: ${file.length}`;
      socket.write(`POST /api/imports HTTP/1.1\r\nHost: x\r\nx-file-name: cut.csv\r\n${headers}\r\n\r\n`);
      socket.write(
        framing === "chunked" ? Buffer.concat([Buffer.from(`${half.length.toString(16)}\r\n`), half, Buffer.from("\r\n")]) : half,
      );
      const pending = answered.length;
      // The rows of the first half reach PostgreSQL inside the transaction before the cut.
      await expect.poll(() => answered.length).toBeGreaterThan(pending);
      await new Promise((resolve) => setTimeout(resolve, 200));
      socket.destroy();
      const response = await answered.at(-1)!;
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe(
        "The upload was cut off before the whole file arrived, so nothing was imported. Upload the file again.",
      );
      expect(await importsOf(fx.b.id)).toEqual([]);
      const [stray] = await serviceDb().execute<{ n: number }>(sql`
        select count(*)::int as n from public.lead_import_rows where workspace_id = ${fx.b.id}`);
      expect(stray!.n).toBe(0);
    }
  });

  it("answers 503 while this server already stores its most uploads at once, and takes files again after", async () => {
    caller = await sessionOf(fx.b.members.sales_rep, fx.b.id);
    const socket = connectSocket((server.address() as AddressInfo).port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const pending = answered.length;
    socket.write("POST /api/imports HTTP/1.1\r\nHost: x\r\nx-file-name: slow.csv\r\nContent-Length: 1000\r\n\r\nEmail,Name\n");
    await expect.poll(() => answered.length).toBeGreaterThan(pending);
    const slow = answered[pending]!;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const busy = await upload("Email\na@x.test\n");
    expect(busy).toEqual({
      status: 503,
      json: { error: "Other files are being uploaded to this server right now. Try again in a minute." },
    });
    socket.destroy();
    expect((await slow).status).toBe(400);
    const again = await upload("Email\na@x.test\n");
    expect(again.status).toBe(201);
    await serviceDb().execute(sql`delete from public.lead_imports where workspace_id = ${fx.b.id}`);
  });

  it("refuses a signed-out caller (401) and every role without imports.run (403) before reading the file", async () => {
    caller = null;
    const anonymous = await upload("Email\na@x.test\n");
    expect(anonymous).toEqual({ status: 401, json: { error: "Your session has ended. Log in again to import." } });
    const refused = WORKSPACE_ROLES.filter((role) => !can(role, "imports.run"));
    expect(refused).toEqual(["viewer", "analyst"]);
    for (const role of refused) {
      caller = await sessionOf(fx.b.members[role], fx.b.id);
      const response = await upload("Email\na@x.test\n");
      expect(response).toEqual({
        status: 403,
        json: { error: "Your role cannot import leads. Ask an admin for the sales rep role or above." },
      });
    }
    caller = await sessionOf(fx.b.members.sales_rep, fx.b.id);
    await serviceDb().execute(sql`delete from auth.sessions where id = ${caller.claims.session_id as string}`);
    expect((await upload("Email\na@x.test\n")).status).toBe(401);
    expect(await importsOf(fx.b.id)).toEqual([]);
  });

  it("refuses an upload sent from another site's page, or from a sandboxed one, before reading it", async () => {
    caller = await sessionOf(fx.b.members.admin, fx.b.id);
    const host = new URL(base).host;
    for (const origin of ["https://evil.example", `http://${host.replace("127.0.0.1", "localhost")}`, "null"]) {
      expect(await upload("Email\na@x.test\n", "leads.csv", { origin })).toEqual({
        status: 403,
        json: { error: "This upload came from another site, so it was refused. Upload the file from the Imports page of this app." },
      });
    }
    expect(await importsOf(fx.b.id)).toEqual([]);
    const sameOrigin = await upload("Email\na@x.test\n", "leads.csv", { origin: base });
    expect(sameOrigin.status).toBe(201);
    await serviceDb().execute(sql`delete from public.lead_imports where workspace_id = ${fx.b.id}`);
  });

  it("refuses a member's uploads past the hourly limit in words (429, Retry-After), whatever became of them, and no one else's", async () => {
    const saved = limits.perUser;
    limits.perUser = { name: "import-upload-user-test-small", points: 3, durationSeconds: 3600 };
    try {
      caller = await sessionOf(fx.b.members.manager, fx.b.id);
      expect((await upload("Email\na@x.test\n")).status).toBe(201);
      expect((await upload("%PDF-1.4\n")).status).toBe(415);
      expect((await upload("Email\nb@x.test\n")).status).toBe(201);
      const response = await fetch(`${base}/api/imports`, {
        method: "POST",
        headers: { "x-file-name": "leads.csv", "content-type": "text/csv" },
        body: "Email\nc@x.test\n",
      });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(3500);
      expect(await response.json()).toEqual({
        error: "You have uploaded 3 files within the last hour, the most allowed — try again in 60 minutes.",
      });
      expect(await importsOf(fx.b.id)).toHaveLength(2);
      caller = await sessionOf(fx.b.members.sales_rep, fx.b.id);
      expect((await upload("Email\nd@x.test\n")).status).toBe(201);
    } finally {
      limits.perUser = saved;
      await serviceDb().execute(sql`delete from public.lead_imports where workspace_id = ${fx.b.id}`);
    }
  });

  it("refuses a file wider than an import can map, in words, storing nothing", async () => {
    caller = await sessionOf(fx.b.members.admin, fx.b.id);
    const header = ["Email", ...Array.from({ length: IMPORT_MAX_COLUMNS }, (_, i) => `c${i}`)];
    const wide = await upload(`${header.join(",")}\na@x.test${",".repeat(IMPORT_MAX_COLUMNS)}\n`);
    expect(wide).toEqual({
      status: 422,
      json: {
        error: `The file has ${IMPORT_MAX_COLUMNS + 1} columns; an import takes at most ${IMPORT_MAX_COLUMNS}. Remove the columns you do not need and upload it again.`,
      },
    });
    expect(await importsOf(fx.b.id)).toEqual([]);
  });

  it("refuses a request without a file name, with one it cannot keep, or sent as a form", async () => {
    caller = await sessionOf(fx.b.members.sales_rep, fx.b.id);
    const unnamed = await fetch(`${base}/api/imports`, { method: "POST", body: "Email\na@x.test\n" });
    expect(unnamed.status).toBe(400);
    for (const name of ["leads%00.csv", "leads%0A.csv", "%1B%5B31mleads.csv", encodeURIComponent(`${"é".repeat(252)}.csv`)]) {
      const refused = await fetch(`${base}/api/imports`, {
        method: "POST",
        headers: { "x-file-name": name, "content-type": "text/csv" },
        body: "Email\na@x.test\n",
      });
      expect([name, refused.status]).toEqual([name, 400]);
      expect(await refused.json()).toEqual({
        error: "Name the file in the x-file-name header: URI-encoded, at most 255 characters, without control characters.",
      });
    }
    const form = new FormData();
    form.set("file", new Blob(["Email\na@x.test\n"]), "x.csv");
    const asForm = await fetch(`${base}/api/imports`, { method: "POST", headers: { "x-file-name": "x.csv" }, body: form });
    expect(asForm.status).toBe(415);
    expect(await importsOf(fx.b.id)).toEqual([]);
  });
});
