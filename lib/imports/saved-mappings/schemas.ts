import { z } from "zod";
import { ZSavedColumns } from "./columns";

export const ZSaveImportMapping = z.object({
  name: z.string().trim().min(1, "Give the mapping a name.").max(80, "Keep the name under 80 characters."),
  columns: ZSavedColumns,
});
export const ZDeleteImportMapping = z.object({ mappingId: z.uuid("That saved mapping is not valid.") });

export type SaveImportMappingInput = z.infer<typeof ZSaveImportMapping>;
