import type { InstantlySignature } from "@/lib/integrations/instantly/push/delivery";

/**
 * What a launch through Instantly does to signatures: Instantly picks the sender of each lead
 * and cannot be told which (lib/integrations/instantly/push/delivery.ts), so one signature goes
 * to everyone. Said always; warned about when the campaign's senders sign differently.
 */
export function signatureNote(signature: InstantlySignature | null): string | null {
  if (!signature) return null;
  const base = `Every email carries the signature and postal address of ${signature.fromEmail}: Instantly chooses which sending account emails each lead and cannot be told to use a given one.`;
  if (signature.differing.length === 0) return base;
  const who = signature.differing.join(", ");
  const verb = signature.differing.length === 1 ? "signs" : "sign";
  return `${base} ${who} ${verb} differently: their leads will still get that signature. Give them the same signature, or send through this app.`;
}
