import { z } from "zod";

/** Pieces the leads' and companies' API schemas (lead-schemas.ts, company-schemas.ts) share. */

/**
 * Each schema made optional: a list's URL parameters, or the fields of an update (a field left
 * out stays as it is). `describe` gives a parameter its description in the OpenAPI document.
 */
export function optionalFields<S extends Record<string, z.ZodType>>(
  schemas: S,
  describe?: (name: keyof S & string) => string | undefined,
): { [K in keyof S]: z.ZodOptional<S[K]> } {
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => {
      const description = describe?.(name);
      return [name, description === undefined ? schema.optional() : schema.optional().meta({ description })];
    }),
  ) as { [K in keyof S]: z.ZodOptional<S[K]> };
}

export const isoDateTime = z.string().meta({ format: "date-time" });
export const nullableText = z.string().nullable();
