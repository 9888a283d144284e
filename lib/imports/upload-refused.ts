import { AppError } from "@/lib/errors";

/**
 * An upload refused before it became an import, with the HTTP status the route answers and a
 * message the person can act on: 413 too large, 415 not a CSV file, 422 a CSV file without
 * data rows, 400 anything else about the request.
 */
export class UploadRefused extends AppError {
  constructor(
    message: string,
    readonly status: 400 | 413 | 415 | 422,
  ) {
    super("invalid_input", message);
    this.name = "UploadRefused";
  }
}

export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
