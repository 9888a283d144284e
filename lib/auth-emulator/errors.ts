import "server-only";

/**
 * An error the embedded auth server answers with, in GoTrue's shape `{ code, error_code, msg }`.
 * auth-js reads `error_code` (we send no API-version response header, so it does not expect
 * `code` to be the string) and maps `session_not_found` to AuthSessionMissingError.
 */
export class GoTrueError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GoTrueError";
  }
}

export function toErrorResponse(error: GoTrueError): Response {
  return Response.json(
    { code: error.status, error_code: error.errorCode, msg: error.message, ...error.extra },
    { status: error.status, headers: error.headers },
  );
}

export const validationFailed = (message: string) => new GoTrueError(400, "validation_failed", message);
export const invalidCredentials = () => new GoTrueError(400, "invalid_credentials", "Invalid login credentials");
export const emailNotConfirmed = () => new GoTrueError(400, "email_not_confirmed", "Email not confirmed");
export const userBanned = () => new GoTrueError(400, "user_banned", "User is banned");
export const refreshTokenNotFound = () => new GoTrueError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
export const refreshTokenAlreadyUsed = () => new GoTrueError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
export const sessionExpired = () => new GoTrueError(400, "session_expired", "Invalid Refresh Token: Session Expired");
export const noApiKey = () => new GoTrueError(401, "no_authorization", "No API key found in request");
export const invalidApiKey = () => new GoTrueError(401, "no_authorization", "Invalid API key");
export const noAuthorization = () => new GoTrueError(401, "no_authorization", "This endpoint requires a valid Bearer token");
export const badJwt = (reason: string) => new GoTrueError(403, "bad_jwt", `invalid JWT: unable to parse or verify signature, ${reason}`);
export const sessionNotFound = () => new GoTrueError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
export const userNotFoundFromJwt = () => new GoTrueError(403, "user_not_found", "User from sub claim in JWT does not exist");
export const notAdmin = () => new GoTrueError(403, "not_admin", "User not allowed");
export const otpExpired = () => new GoTrueError(403, "otp_expired", "Email link is invalid or has expired");
/** GoTrue words a wrong 6-digit code differently from a dead link. */
export const codeExpired = () => new GoTrueError(403, "otp_expired", "Token has expired or is invalid");
export const userNotFound = () => new GoTrueError(404, "user_not_found", "User not found");
export const routeNotFound = () => new GoTrueError(404, "not_found", "Not found");
export const signupDisabled = () => new GoTrueError(422, "signup_disabled", "Signups not allowed for this instance");
export const anonymousSignInsDisabled = () => new GoTrueError(422, "anonymous_provider_disabled", "Anonymous sign-ins are disabled");
export const phoneSignupsDisabled = () => new GoTrueError(400, "phone_provider_disabled", "Phone signups are disabled");
export const phoneLoginsDisabled = () => new GoTrueError(400, "phone_provider_disabled", "Phone logins are disabled");
export const emailExists = () => new GoTrueError(422, "email_exists", "A user with this email address has already been registered");
/** GoTrue with "secure password change" (UpdatePasswordRequireCurrentPassword) on. */
export const currentPasswordRequired = () =>
  new GoTrueError(400, "current_password_required", "Current password required when setting new password.");
export const currentPasswordInvalid = () =>
  new GoTrueError(400, "current_password_invalid", "Current password required when setting new password.");
export const samePassword = () => new GoTrueError(422, "same_password", "New password should be different from the old password.");
/** GoTrue's answer to a full per-IP bucket; Retry-After says when to come back. */
export const overRequestRateLimit = (retryAfterSeconds: number) =>
  new GoTrueError(429, "over_request_rate_limit", "Request rate limit reached", {}, { "retry-after": String(retryAfterSeconds) });
/** GoTrue's answer when its email limit is reached; the same for every address. */
export const overEmailSendRateLimit = (retryAfterSeconds: number) =>
  new GoTrueError(429, "over_email_send_rate_limit", "Email rate limit exceeded", {}, { "retry-after": String(retryAfterSeconds) });
/**
 * No provider may carry sign-in or reset links (lib/email/delivery.ts). GoTrue's code for a
 * disabled email provider, with a message that says what an operator can do about it.
 */
export const emailNotConfiguredError = () =>
  new GoTrueError(
    422,
    "email_provider_disabled",
    "Email is not configured on this server, so no sign-in or reset email can be sent. An operator can set RESEND_API_KEY.",
  );
export const emailSendFailed = () => new GoTrueError(500, "unexpected_failure", "Error sending email");
export const requestTooLarge = (maxBytes: number) =>
  new GoTrueError(413, "request_entity_too_large", `Request body is larger than ${maxBytes / 1024} KiB`);
export const unexpectedFailure = () =>
  new GoTrueError(500, "unexpected_failure", "Unexpected failure, please check server logs for more information");
