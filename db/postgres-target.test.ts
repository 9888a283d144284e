import { describe, expect, it } from "vitest";
import { postgresTarget } from "./postgres-target";

describe("postgresTarget", () => {
  it("leaves a TCP URL as it is", () => {
    const url = "postgres://app:secret@db.example.com:5432/lip?sslmode=require";
    expect(postgresTarget(url)).toEqual({ url });
  });

  it("turns libpq's socket directory into the socket's path, on the URL's port", () => {
    expect(postgresTarget("postgres://postgres:pw@127.0.0.1:54322/lip?host=%2Fwork%2Fapp%2F.data%2Fpostgres")).toEqual({
      url: "postgres://postgres:pw@127.0.0.1:54322/lip",
      path: "/work/app/.data/postgres/.s.PGSQL.54322",
    });
    expect(postgresTarget("postgres://postgres@localhost/lip?host=/run/postgresql/&sslmode=disable")).toEqual({
      url: "postgres://postgres@localhost/lip?sslmode=disable",
      path: "/run/postgresql/.s.PGSQL.5432",
    });
  });

  it("never sends the server our own parameters, which it would refuse as settings", () => {
    expect(postgresTarget("postgres://u:p@pooler.example.com:6543/postgres?pgbouncer=true")).toEqual({
      url: "postgres://u:p@pooler.example.com:6543/postgres",
    });
    // A host that is a name, not a directory, is the machine to reach (libpq: it wins over the URL's).
    expect(postgresTarget("postgres://u:p@10.0.0.5:5432/lip?host=db.internal")).toEqual({
      url: "postgres://u:p@10.0.0.5:5432/lip",
      host: "db.internal",
    });
  });

  it("hands a URL it cannot read to postgres.js unchanged, to explain", () => {
    expect(postgresTarget("not a url")).toEqual({ url: "not a url" });
  });
});
