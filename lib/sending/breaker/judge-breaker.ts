/** The workspace's bounce breaker settings (workspaces columns, edited in Settings → Sending). */
export type BreakerSettings = { bounceRateThreshold: number; complaintRateThreshold: number; breakerMinSends: number };

/** A campaign's most recent sends, and how many of them hard-bounced or drew a complaint. */
export type BreakerFigures = { sends: number; hardBounces: number; complaints: number };

export type BreakerVerdict = { trip: false } | { trip: true; reason: string };

/** The breaker looks at this many of the campaign's latest sends: never fewer than 100 (DESIGN.md §7.7). */
export function breakerWindow(settings: BreakerSettings): number {
  return Math.max(settings.breakerMinSends, 100);
}

const percent = (fraction: number) => `${(fraction * 100).toLocaleString("en", { maximumFractionDigits: 2 })} %`;

/**
 * Whether a campaign must pause itself: once it has sent at least `breakerMinSends`, a
 * hard-bounce or complaint rate over its latest sends that passes (is above) the threshold.
 * The reason is what the campaign page shows and the admins are told.
 */
export function judgeBreaker(figures: BreakerFigures, settings: BreakerSettings): BreakerVerdict {
  const { sends, hardBounces, complaints } = figures;
  if (sends === 0 || sends < settings.breakerMinSends) return { trip: false };
  const bounceRate = hardBounces / sends;
  const complaintRate = complaints / sends;
  if (bounceRate > settings.bounceRateThreshold) {
    return {
      trip: true,
      reason:
        `${hardBounces} of its last ${sends} emails hard-bounced (${percent(bounceRate)}, above the ` +
        `${percent(settings.bounceRateThreshold)} limit). Clean the list before resuming.`,
    };
  }
  if (complaintRate > settings.complaintRateThreshold) {
    return {
      trip: true,
      reason:
        `${complaints} of its last ${sends} emails were marked as spam (${percent(complaintRate)}, above the ` +
        `${percent(settings.complaintRateThreshold)} limit). Review the content and the audience before resuming.`,
    };
  }
  return { trip: false };
}
