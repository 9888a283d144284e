import { z } from "zod";
import { isShowable, UNSHOWABLE_MESSAGE } from "@/lib/text/showable";
import { API_KEY_SCOPES } from "./scopes";

/** Lifetimes offered when a key is made, in days; null never expires. */
export const API_KEY_LIFETIMES = [7, 30, 90, 365] as const;

export const ZCreateApiKey = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the key after what will use it, like “CRM sync”.")
    .max(100, "Use at most 100 characters.")
    .refine(isShowable, UNSHOWABLE_MESSAGE),
  scope: z.enum(API_KEY_SCOPES, { message: "Choose read, or read and write." }),
  expiresInDays: z
    .union([z.literal(7), z.literal(30), z.literal(90), z.literal(365)], { message: "Choose when the key expires." })
    .nullable(),
});
export type CreateApiKeyInput = z.input<typeof ZCreateApiKey>;

export const ZRevokeApiKey = z.object({ keyId: z.uuid("That key is not valid.") });
