import "server-only";
import type { LeadTotal } from "@/lib/leads/lead-list-types";
import { ApiError } from "../errors";
import type { ApiContext } from "../define-route";

/** What every keyset list's URL state has: the cursor of a page, and whether to page back from it. */
type KeysetState = { cursor?: string; before: boolean };

type KeysetPage<Row> = { rows: Row[]; nextCursor: string | null; prevCursor: string | null; total: LeadTotal };

/**
 * The handler of a list operation over one of the app's keyset lists (leads, companies): the
 * query overlays the list's defaults, as its URL does; `before` without a `cursor` and a cursor
 * the list did not take (`unfitCursor` says so, and in words what it must fit) are refused (422)
 * rather than answered with a page the caller did not ask for; the page is answered as it is.
 */
export function keysetListHandler<State extends KeysetState, Page extends KeysetPage<unknown>>(list: {
  defaults: State;
  read: (context: ApiContext, state: State) => Promise<Page>;
  unfitCursor: (page: Page) => boolean;
  cursorMustFit: string;
}) {
  // The query schema is the list's URL parameters (lead-schemas.ts, company-schemas.ts), parsed to its state's types.
  return async (context: ApiContext, { query }: { query: object }) => {
    const state: State = { ...list.defaults, ...(query as Partial<State>) };
    if (state.before && !state.cursor)
      throw new ApiError(422, "invalid_input", "`before` needs a `cursor`.", { before: ["Needs a cursor."] });
    const page = await list.read(context, state);
    if (list.unfitCursor(page)) {
      throw new ApiError(422, "invalid_input", `That cursor does not fit ${list.cursorMustFit}: start again without it.`, {
        cursor: [`Does not fit ${list.cursorMustFit}.`],
      });
    }
    // Typed as the list's rows (not the constraint's unknown[]), so each route's answer is checked against its schema.
    const data: Page["rows"] = page.rows;
    return { body: { data, nextCursor: page.nextCursor, prevCursor: page.prevCursor, total: page.total } };
  };
}
