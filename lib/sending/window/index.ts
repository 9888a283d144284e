export { isInWindow, nextWindowStart, type SendingWindow } from "./next-window-start";
export { stepDueAt, type StepDelay } from "./step-due-at";
export { formatLocalDate, isKnownTimeZone, localDateOf, nextLocalDayStart, wallClock } from "./zoned-time";
