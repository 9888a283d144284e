import "server-only";
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { openPostgres } from "@/db/postgres-target";
import { LIVE_CHANNEL, mayHear, messageFor, parseLiveNotice, type LiveAudience, type LiveMessage, type LiveNotice } from "./events";

/**
 * One open event stream, as the hub keeps it: who holds it and how to write to it. Kept small on
 * purpose (a few fields and two closures): a process may hold hundreds of them.
 */
export type LiveStream = {
  audience: LiveAudience;
  /** auth.sessions id of the session that opened it: the sweep closes it once signed out. */
  sessionId: string;
  /** When its access token expires (ms): the stream closes then, so the browser reconnects with a refreshed one. */
  expiresAt: number;
  /** Writes one SSE chunk; false when the stream is gone or its reader has stopped reading. */
  write: (chunk: string) => boolean;
  /** Ends the response (the hub has already forgotten the stream). */
  end: () => void;
};

/** Checks who may still listen: for each stream, its role now, or null when its session or membership has ended. */
export type LiveSweep = (streams: readonly LiveStream[]) => Promise<(string | null)[]>;

export type LiveHubOptions = {
  databaseUrl: string;
  /** Events kept for catch-up after a dropped connection. */
  bufferSize?: number;
  heartbeatMs?: number;
  sweepMs?: number;
  sweep?: LiveSweep;
  /** Unread bytes a stream may queue before it is dropped (its browser reconnects and catches up). */
  maxQueuedBytes?: number;
  /**
   * Streams one person may hold open in this process: one per open tab of the app. A stream lives
   * until its token expires (an hour), so the per-minute limit on opening them alone let one
   * account hold thousands, each a socket and up to maxQueuedBytes of memory.
   */
  maxStreamsPerUser?: number;
};

type Buffered = { seq: number; notice: LiveNotice | null };

const DEFAULTS = { bufferSize: 1_000, heartbeatMs: 15_000, sweepMs: 30_000, maxQueuedBytes: 256 * 1024, maxStreamsPerUser: 20 };

/**
 * The live-update hub of one app process: a single LISTEN connection to PostgreSQL (not one per
 * stream) whose notifications fan out to the open streams of their workspace, each filtered by
 * what its holder may see (events.ts). Events get ids `<epoch>-<seq>`; the last `bufferSize`
 * are kept so a browser that reconnects with Last-Event-ID gets what it missed, or, when that
 * is no longer here (another process, a restart, too long ago), a `resync` that asks it to
 * refresh everything. One timer sends heartbeats and one sweeps sessions, for all streams.
 */
export class LiveHub {
  readonly epoch = randomBytes(4).toString("hex");
  private seq = 0;
  private readonly buffer: Buffered[] = [];
  private readonly byWorkspace = new Map<string, Set<LiveStream>>();
  private readonly perUser = new Map<string, number>();
  private readonly options: Required<Omit<LiveHubOptions, "sweep">> & { sweep?: LiveSweep };
  private sql: postgres.Sql | undefined;
  private listening: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private sweeping = false;

  constructor(options: LiveHubOptions) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Opens the LISTEN connection once; later calls wait for the same. Rejects when PostgreSQL cannot be reached. */
  start(): Promise<void> {
    this.listening ??= this.listen().catch((error: unknown) => {
      this.listening = undefined;
      throw error;
    });
    return this.listening;
  }

  private async listen(): Promise<void> {
    this.sql = openPostgres(this.options.databaseUrl, {
      max: 1,
      onnotice: () => {},
      connection: { application_name: "lip-live-updates" },
    });
    let connects = 0;
    const listener = await this.sql.listen(
      LIVE_CHANNEL,
      (payload) => {
        const notice = parseLiveNotice(payload);
        if (notice) this.publish(notice);
      },
      // postgres.js listens again by itself after a lost connection: whatever was notified in
      // between is lost, so every stream is told to refresh.
      () => {
        if (connects++ > 0) this.publish(null);
      },
    );
    this.unlisten = () => listener.unlisten();
    this.timers = [
      setInterval(() => this.heartbeat(), this.options.heartbeatMs),
      setInterval(() => void this.runSweep(), this.options.sweepMs),
    ];
    for (const timer of this.timers) timer.unref();
  }

  /**
   * Where this process's event stream is now: a page rendered after reading it hands it to its
   * browser as the Last-Event-ID of its first connection, so a change committed between the
   * render and the connection is replayed rather than lost (or, from another process, a resync).
   */
  get lastEventId(): string {
    return `${this.epoch}-${this.seq}`;
  }

  get streamCount(): number {
    let n = 0;
    for (const set of this.byWorkspace.values()) n += set.size;
    return n;
  }

  /** Whether `userId` may open one more stream here (maxStreamsPerUser). */
  hasRoomFor(userId: string): boolean {
    return (this.perUser.get(userId) ?? 0) < this.options.maxStreamsPerUser;
  }

  get maxStreamsPerUser(): number {
    return this.options.maxStreamsPerUser;
  }

  /**
   * Adds a stream and writes what it missed since `lastEventId` (when given): the buffered
   * events it may hear, or a `resync` when they are no longer all here. Returns its removal.
   */
  add(stream: LiveStream, lastEventId: string | null): () => void {
    const { workspaceId, userId } = stream.audience;
    let set = this.byWorkspace.get(workspaceId);
    if (!set) this.byWorkspace.set(workspaceId, (set = new Set()));
    set.add(stream);
    this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);
    if (lastEventId) this.catchUp(stream, lastEventId);
    // Last, so its id is the one the browser resumes from.
    stream.write(`id: ${this.lastEventId}\nevent: ready\ndata: {"transport":"sse"}\n\n`);
    return () => this.remove(stream);
  }

  private remove(stream: LiveStream): void {
    const set = this.byWorkspace.get(stream.audience.workspaceId);
    if (!set?.delete(stream)) return;
    if (set.size === 0) this.byWorkspace.delete(stream.audience.workspaceId);
    const left = (this.perUser.get(stream.audience.userId) ?? 1) - 1;
    if (left > 0) this.perUser.set(stream.audience.userId, left);
    else this.perUser.delete(stream.audience.userId);
  }

  private catchUp(stream: LiveStream, lastEventId: string): void {
    const match = /^([0-9a-f]{8})-(\d{1,15})$/.exec(lastEventId);
    const since = match && match[1] === this.epoch ? Number(match[2]) : -1;
    const oldest = this.buffer[0]?.seq ?? this.seq + 1;
    // Known to this process and nothing after it evicted: replay; otherwise refresh everything.
    if (since < 0 || since > this.seq || since < oldest - 1) {
      this.send(stream, this.seq, { k: "resync", ids: null });
      return;
    }
    for (const entry of this.buffer) {
      if (entry.seq <= since) continue;
      if (entry.notice === null) this.send(stream, entry.seq, { k: "resync", ids: null });
      else if (mayHear(stream.audience, entry.notice)) this.send(stream, entry.seq, messageFor(entry.notice));
    }
  }

  /** Fans a notification out (null: a `resync` to every stream) and keeps it for catch-up. */
  publish(notice: LiveNotice | null): void {
    const seq = ++this.seq;
    this.buffer.push({ seq, notice });
    if (this.buffer.length > this.options.bufferSize) this.buffer.shift();
    if (notice === null) {
      for (const set of this.byWorkspace.values()) for (const stream of set) this.send(stream, seq, { k: "resync", ids: null });
      return;
    }
    const set = this.byWorkspace.get(notice.w);
    if (!set) return;
    const message = messageFor(notice);
    for (const stream of set) if (mayHear(stream.audience, notice)) this.send(stream, seq, message);
  }

  private send(stream: LiveStream, seq: number, message: LiveMessage): void {
    if (!stream.write(`id: ${this.epoch}-${seq}\ndata: ${JSON.stringify(message)}\n\n`)) this.drop(stream);
  }

  private drop(stream: LiveStream): void {
    this.remove(stream);
    stream.end();
  }

  private heartbeat(): void {
    const now = Date.now();
    for (const set of this.byWorkspace.values()) {
      for (const stream of set) {
        // An expired token: ask the browser to come back at once with its refreshed session.
        if (now >= stream.expiresAt) {
          stream.write(`event: reconnect\ndata: {}\n\n`);
          this.drop(stream);
        } else if (!stream.write(`: keep-alive\n\n`)) this.drop(stream);
      }
    }
  }

  /** Closes the streams whose session was signed out or revoked, or whose membership or role changed. */
  async runSweep(): Promise<void> {
    if (!this.options.sweep || this.sweeping) return;
    this.sweeping = true;
    try {
      const streams = [...this.byWorkspace.values()].flatMap((set) => [...set]);
      if (streams.length === 0) return;
      const roles = await this.options.sweep(streams);
      streams.forEach((stream, i) => {
        if (roles[i] === stream.audience.role) return;
        // Gone or changed: the browser reconnects, and the checks on connect decide again.
        stream.write(`event: reconnect\ndata: {}\n\n`);
        this.drop(stream);
      });
    } catch (error) {
      console.error("[live] the session sweep failed; trying again later", error);
    } finally {
      this.sweeping = false;
    }
  }

  /** Writes are refused past this many queued bytes (see LiveHubOptions.maxQueuedBytes). */
  get maxQueuedBytes(): number {
    return this.options.maxQueuedBytes;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    for (const set of [...this.byWorkspace.values()]) for (const stream of [...set]) this.drop(stream);
    await this.unlisten?.().catch(() => {});
    await this.sql?.end({ timeout: 5 });
    this.listening = undefined;
  }
}
