import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { pgArray } from "@/db/pg-array";
import type { ReadPlan } from "./series-days";

const iso = (d: Date) => d.toISOString();

/**
 * A read plan (planSeriesRead) as a FROM item `h`: the `keys` columns as they are, the `counts`
 * columns signed (a part of a day moved out of its day's bucket counts there negatively), and
 * `d`, the bucket of the row (as width_bucket on `bounds` numbers them). `where` filters both
 * tables (its conditions are on `h`: the workspace and the question's filters).
 */
export function planRowsSql(
  plan: ReadPlan,
  o: { days: string; hours: string; where: SQL; keys: string[]; counts: string[]; bounds: SQL },
): SQL {
  const days = sql.raw(`public.${o.days}`);
  const hours = sql.raw(`public.${o.hours}`);
  const keys = o.keys.map((k) => `h.${k}`);
  const parts: SQL[] = [];
  if (plan.days) {
    const listed = plan.days.listed;
    const columns = sql.raw([...keys, ...o.counts.map((c) => `h.${c}`)].join(", "));
    parts.push(
      listed.length === 0
        ? sql`select ${columns}, width_bucket(h.day, ${o.bounds}) as d from ${days} h
               where ${o.where} and h.day >= ${iso(plan.days.first)}::timestamptz and h.day <= ${iso(plan.days.last)}::timestamptz`
        : sql`select ${columns}, coalesce(m.d, width_bucket(h.day, ${o.bounds})) as d
                from ${days} h
                left join unnest(${pgArray(listed.map((l) => iso(l.day)))}::timestamptz[], ${pgArray(listed.map((l) => l.d))}::int[]) m(day, d)
                  on m.day = h.day
               where ${o.where} and h.day >= ${iso(plan.days.first)}::timestamptz and h.day <= ${iso(plan.days.last)}::timestamptz
                 and m.d is distinct from 0`,
    );
  }
  if (plan.segments.length > 0) {
    const s = plan.segments;
    const columns = sql.raw([...keys, ...o.counts.map((c) => `h.${c} * v.sign as ${c}`)].join(", "));
    // The segments' bounds are literals here: with them computed in SQL the upper bound was a
    // filter, not an index condition (see queryDailySeries' history in git).
    parts.push(sql`select ${columns}, v.d
        from unnest(${pgArray(s.map((x) => iso(x.lo)))}::timestamptz[], ${pgArray(s.map((x) => iso(x.hi)))}::timestamptz[],
                    ${pgArray(s.map((x) => x.add))}::int[], ${pgArray(s.map((x) => x.sub))}::int[]) s(lo, hi, a, b)
        join ${hours} h on h.hour >= s.lo and h.hour < s.hi
        cross join lateral (values (s.a, 1), (s.b, -1)) v(d, sign)
       where ${o.where} and v.d is not null`);
  }
  if (parts.length === 0) {
    const columns = sql.raw([...keys.map((k) => `${k}`), ...o.counts.map((c) => `h.${c}`)].join(", "));
    return sql`(select ${columns}, 0 as d from ${days} h where false) h`;
  }
  return sql`(${sql.join(parts, sql` union all `)}) h`;
}
