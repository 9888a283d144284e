import { createServer } from "node:net";

/**
 * Ports below Linux's ephemeral range (32768-60999): the kernel never hands one of these to a
 * server that listens on "any port" (port 0) nor to an outgoing connection, so a port found free
 * here stays free until its owner binds it. Taken from the ephemeral range, as this did before,
 * the port could go to another test's fake server or client in between (seen in CI: a test
 * cluster refused to start, "could not create any TCP/IP sockets"). Two callers of freePort can
 * still pick the same port: one chance in 12,768 per pair.
 */
const LOWEST = 20_000;
const HIGHEST = 32_767;

/** A loopback port that is free now, for throw-away servers (test and bench clusters, fakes). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST + 1));
    if (await canListen(port)) return port;
  }
  throw new Error(`No free port between ${LOWEST} and ${HIGHEST} after 100 tries.`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
