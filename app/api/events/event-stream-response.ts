import "server-only";
import { z } from "zod";
import { serviceDb } from "@/db";
import { can } from "@/lib/auth/permissions";
import type { Session } from "@/lib/auth/session";
import { isSessionLive } from "@/lib/auth/session-liveness";
import type { LiveHub } from "@/lib/live/hub";
import { liveHub } from "@/lib/live/live-hub";
import { eventStreamsPerUser } from "@/lib/rate-limit/policies";
import { refuseOverLimit } from "@/lib/rate-limit/request-limit";

const encoder = new TextEncoder();
const ZLastEventId = z
  .string()
  .max(40)
  .regex(/^[0-9a-f]{8}-\d{1,15}$/);

function refuse(status: number, message: string): Response {
  return Response.json({ message }, { status, headers: { "cache-control": "no-store" } });
}

/**
 * GET /api/events[?workspace=<id>]: the live updates of one workspace as server-sent events
 * (lib/live). The session is verified and must be live; the workspace is the session's current
 * one, or the one asked for if the user is a member of it (any other is refused: nothing is
 * streamed). Each event says what changed (kind and ids), for the screens to re-read under
 * their own session. `Last-Event-ID` (header, or `lastEventId` in the query for a client that
 * cannot set headers) resumes after a dropped connection. Streams opened per person are limited
 * (RATE_LIMIT_EVENT_STREAMS_PER_MINUTE), and so are those a person holds open at once in this
 * process (LiveHub's maxStreamsPerUser): past either, 429 with Retry-After.
 */
export async function eventStreamResponse(session: Session | null, request: Request, hub: LiveHub = liveHub()): Promise<Response> {
  if (!session || !(await isSessionLive(serviceDb(), session.claims))) {
    return refuse(401, "Your session has ended. Log in again to follow live updates.");
  }
  // Every stream opened counts, forged ones too: a client reconnecting in a loop is held off.
  const limited = await refuseOverLimit(eventStreamsPerUser(), session.userId);
  if (limited) return limited;
  const url = new URL(request.url);
  const asked = url.searchParams.get("workspace");
  const membership = asked === null ? session.current : session.memberships.find((m) => m.workspaceId === asked);
  if (!membership || !can(membership.role, "workspace.read")) {
    return refuse(403, "You are not a member of that workspace, so its live updates are not available to you.");
  }
  if (!hub.hasRoomFor(session.userId)) {
    return Response.json(
      {
        error: `Too many live-update connections are open for you (${hub.maxStreamsPerUser}): close some of the app's tabs, and this one connects again by itself.`,
      },
      { status: 429, headers: { "cache-control": "no-store", "retry-after": "30" } },
    );
  }
  const rawLast = request.headers.get("last-event-id") ?? url.searchParams.get("lastEventId");
  const lastEventId = rawLast === null ? null : ZLastEventId.safeParse(rawLast).success ? rawLast : "unknown";

  try {
    await hub.start();
  } catch (error) {
    console.error("[live] cannot LISTEN for changes", error);
    return refuse(503, "Live updates are not available right now; the page will try again shortly.");
  }

  const expiresAt = typeof session.claims.exp === "number" ? session.claims.exp * 1000 : Date.now() + 3_600_000;
  const maxQueued = hub.maxQueuedBytes;
  let remove: (() => void) | undefined;
  let closed = false;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const close = () => {
          if (closed) return;
          closed = true;
          remove?.();
          try {
            controller.close();
          } catch {
            // Already closed by the reader.
          }
        };
        remove = hub.add(
          {
            audience: { workspaceId: membership.workspaceId, userId: session.userId, role: membership.role },
            sessionId: String(session.claims.session_id),
            expiresAt,
            write: (chunk) => {
              if (closed || (controller.desiredSize ?? 0) < -maxQueued) return false;
              controller.enqueue(encoder.encode(chunk));
              return true;
            },
            end: close,
          },
          lastEventId,
        );
        request.signal.addEventListener("abort", close, { once: true });
      },
      cancel() {
        closed = true;
        remove?.();
      },
    },
    // Counted in bytes, so desiredSize says how much the reader has not taken yet.
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
