/**
 * Instantly takes a campaign schedule's `timezone` only from a fixed list (its OpenAPI enum,
 * vendors/instantly-resend.md §1.5): about a hundred names, without America/New_York,
 * America/Los_Angeles or Europe/London. A zone of ours is sent as a member of that list that
 * keeps the same clock, i.e. the same UTC offset at every moment of the coming two years (its
 * daylight-saving changes included): America/New_York as America/Detroit, Europe/Paris as
 * Europe/Belgrade. A zone with no such member is refused, by name, before anything is pushed.
 */
export const INSTANTLY_TIME_ZONES = [
  "Etc/GMT+12",
  "Etc/GMT+11",
  "Etc/GMT+10",
  "America/Anchorage",
  "America/Dawson",
  "America/Creston",
  "America/Chihuahua",
  "America/Boise",
  "America/Belize",
  "America/Chicago",
  "America/Bahia_Banderas",
  "America/Regina",
  "America/Bogota",
  "America/Detroit",
  "America/Indiana/Marengo",
  "America/Caracas",
  "America/Asuncion",
  "America/Glace_Bay",
  "America/Campo_Grande",
  "America/Anguilla",
  "America/Santiago",
  "America/St_Johns",
  "America/Sao_Paulo",
  "America/Argentina/La_Rioja",
  "America/Araguaina",
  "America/Godthab",
  "America/Montevideo",
  "America/Bahia",
  "America/Noronha",
  "America/Scoresbysund",
  "Atlantic/Cape_Verde",
  "Africa/Casablanca",
  "America/Danmarkshavn",
  "Europe/Isle_of_Man",
  "Atlantic/Canary",
  "Africa/Abidjan",
  "Arctic/Longyearbyen",
  "Europe/Belgrade",
  "Africa/Ceuta",
  "Europe/Sarajevo",
  "Africa/Algiers",
  "Africa/Windhoek",
  "Asia/Nicosia",
  "Asia/Beirut",
  "Africa/Cairo",
  "Asia/Damascus",
  "Europe/Bucharest",
  "Africa/Blantyre",
  "Europe/Helsinki",
  "Europe/Istanbul",
  "Asia/Jerusalem",
  "Africa/Tripoli",
  "Asia/Amman",
  "Asia/Baghdad",
  "Europe/Kaliningrad",
  "Asia/Aden",
  "Africa/Addis_Ababa",
  "Europe/Kirov",
  "Europe/Astrakhan",
  "Asia/Tehran",
  "Asia/Dubai",
  "Asia/Baku",
  "Indian/Mahe",
  "Asia/Tbilisi",
  "Asia/Yerevan",
  "Asia/Kabul",
  "Antarctica/Mawson",
  "Asia/Yekaterinburg",
  "Asia/Karachi",
  "Asia/Kolkata",
  "Asia/Colombo",
  "Asia/Kathmandu",
  "Antarctica/Vostok",
  "Asia/Dhaka",
  "Asia/Rangoon",
  "Antarctica/Davis",
  "Asia/Novokuznetsk",
  "Asia/Hong_Kong",
  "Asia/Krasnoyarsk",
  "Asia/Brunei",
  "Australia/Perth",
  "Asia/Taipei",
  "Asia/Choibalsan",
  "Asia/Irkutsk",
  "Asia/Dili",
  "Asia/Pyongyang",
  "Australia/Adelaide",
  "Australia/Darwin",
  "Australia/Brisbane",
  "Australia/Melbourne",
  "Antarctica/DumontDUrville",
  "Australia/Currie",
  "Asia/Chita",
  "Antarctica/Macquarie",
  "Asia/Sakhalin",
  "Pacific/Auckland",
  "Etc/GMT-12",
  "Pacific/Fiji",
  "Asia/Anadyr",
  "Asia/Kamchatka",
  "Etc/GMT-13",
  "Pacific/Apia",
] as const;
export type InstantlyTimeZone = (typeof INSTANTLY_TIME_ZONES)[number];

const HOUR = 3_600_000;
/** Two years of hours: every daylight-saving change of the coming two years is in it. */
const SPAN_HOURS = 2 * 366 * 24;

const formatters = new Map<string, Intl.DateTimeFormat | null>();
function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    } catch {
      f = null;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** "GMT+05:30" (or "GMT" for UTC) at `at`, in `zone`. */
function offsetAt(f: Intl.DateTimeFormat, at: number): string {
  return f.formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "";
}

/** The zone's offsets at each `stepHours` from `from`, over `spanHours` (two years unless said). */
function offsets(f: Intl.DateTimeFormat, from: number, stepHours: number, spanHours = SPAN_HOURS): string[] {
  const list: string[] = [];
  for (let h = 0; h < spanHours; h += stepHours) list.push(offsetAt(f, from + h * HOUR));
  return list;
}

/**
 * Whether `f` has these offsets at each `stepHours` from `from`, stopping at the first that
 * differs: most zones differ at the first instant, so a candidate usually costs one lookup.
 */
function hasOffsets(f: Intl.DateTimeFormat, expected: readonly string[], from: number, stepHours: number): boolean {
  return expected.every((offset, i) => offsetAt(f, from + i * stepHours * HOUR) === offset);
}

export type InstantlyZoneMatch = { ok: true; zone: InstantlyTimeZone } | { ok: false; message: string };

/**
 * The member of Instantly's list with the same clock as `zone` from `from` on (the zone itself
 * when Instantly lists it), or why there is none — a message naming the zone. Offsets are
 * compared every day first, then every hour of the days the offset changes on, so a change at
 * a different hour of the same day is a difference too.
 */
export function instantlyTimeZoneFor(zone: string, from: Date = new Date()): InstantlyZoneMatch {
  if ((INSTANTLY_TIME_ZONES as readonly string[]).includes(zone)) return { ok: true, zone: zone as InstantlyTimeZone };
  const own = formatter(zone);
  if (!own) return { ok: false, message: `The time zone "${zone}" is not a time zone this server knows, so Instantly cannot be given it.` };
  // From the start of the hour: the same instants for every zone.
  const start = Math.floor(from.getTime() / HOUR) * HOUR;
  const daily = offsets(own, start, 24);
  // The days on which the zone's offset changes: there, the hour of the change is compared too.
  const changeDays = daily.flatMap((offset, day) => (day > 0 && offset !== daily[day - 1] ? [start + (day - 1) * 24 * HOUR] : []));
  let hourly: string[][] | undefined;
  for (const candidate of INSTANTLY_TIME_ZONES) {
    const f = formatter(candidate);
    if (!f || !hasOffsets(f, daily, start, 24)) continue;
    hourly ??= changeDays.map((day) => offsets(own, day, 1, 24));
    if (changeDays.every((day, i) => hasOffsets(f, hourly![i]!, day, 1))) return { ok: true, zone: candidate };
  }
  return {
    ok: false,
    message: `Instantly has no time zone with the same clock as "${zone}" (its schedules take only a fixed list of zones). Change the time zone of the campaign's sending identities (Settings → Sending) to a neighbouring one Instantly lists, or send this campaign through Resend.`,
  };
}
