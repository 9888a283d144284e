import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest";

/** Inngest Cloud or the Inngest dev server calls the functions here (unused with the local executor). */
export const { GET, POST, PUT } = serve({ client: inngest, functions });
