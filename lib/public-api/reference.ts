import "server-only";
import { buildOpenApiDocument } from "./openapi";

/**
 * The OpenAPI document read back into what the in-app reference page shows (no client-side
 * renderer: Scalar and its kin load their bundle from a CDN, which neither the CSP nor an
 * offline install allows). Built from the same document /api/v1/openapi.json serves.
 */
type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
};

export type ReferenceField = { name: string; type: string; required: boolean; description: string };
export type ReferenceOperation = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  tag: string;
  parameters: (ReferenceField & { in: string })[];
  body: ReferenceField[];
  success: { status: string; fields: ReferenceField[]; schemaName: string | null };
  errors: { status: string; description: string }[];
};

type Document = {
  info: { title: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};
type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
};

export function apiReference(): { title: string; description: string; operations: ReferenceOperation[] } {
  const doc = buildOpenApiDocument() as unknown as Document;
  const components = doc.components?.schemas ?? {};
  const resolve = (schema: Schema | undefined): Schema => {
    let s = schema ?? {};
    for (let depth = 0; s.$ref && depth < 10; depth++) s = components[s.$ref.split("/").at(-1)!] ?? {};
    return s;
  };
  const typeOf = (schema: Schema | undefined): string => {
    const s = resolve(schema);
    if (schema?.$ref) return schema.$ref.split("/").at(-1)!;
    if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
    const alternatives = s.anyOf ?? s.oneOf;
    if (alternatives) return [...new Set(alternatives.map(typeOf))].join(" | ");
    const type = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any");
    if (type === "array") return `${typeOf(s.items)}[]`;
    return s.format ? `${type} (${s.format})` : type;
  };
  const bound = (n: number | undefined) => (n === undefined ? "…" : n.toLocaleString("en"));
  /** A field's description, then its limits as a sentence of their own ("At most 200 characters."), unless it says them already. */
  const described = (description: string, schema: Schema | undefined): string => {
    const s = resolve(schema);
    const parts: string[] = [];
    const range = `${s.minimum ?? "…"}–${s.maximum ?? "…"}`;
    if ((s.minimum !== undefined || s.maximum !== undefined) && !description.includes(range))
      parts.push(`from ${bound(s.minimum)} to ${bound(s.maximum)}`);
    if (s.maxLength !== undefined) parts.push(`at most ${s.maxLength} characters`);
    if (parts.length === 0) return description;
    const limits = `${parts.join(", ")}.`;
    const sentence = limits[0]!.toUpperCase() + limits.slice(1);
    if (!description) return sentence;
    return `${/[.!?)]$/.test(description) ? description : `${description}.`} ${sentence}`;
  };
  const fieldsOf = (schema: Schema | undefined): ReferenceField[] => {
    const s = resolve(schema);
    const required = new Set(s.required ?? []);
    return Object.entries(s.properties ?? {}).map(([name, property]) => ({
      name,
      type: typeOf(property),
      required: required.has(name),
      description: described(resolve(property).description ?? property.description ?? "", property),
    }));
  };

  const operations: ReferenceOperation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const successStatus = Object.keys(op.responses).find((s) => s.startsWith("2")) ?? "200";
      const successSchema = op.responses[successStatus]?.content?.["application/json"]?.schema;
      operations.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path: `/api/v1${path}`,
        summary: op.summary,
        description: op.description ?? "",
        tag: op.tags?.[0] ?? "",
        parameters: (op.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          type: typeOf(p.schema),
          required: !!p.required,
          description: described(p.description ?? "", p.schema),
        })),
        body: fieldsOf(op.requestBody?.content["application/json"]?.schema),
        success: {
          status: successStatus,
          fields: fieldsOf(successSchema),
          schemaName: successSchema?.$ref?.split("/").at(-1) ?? null,
        },
        errors: Object.entries(op.responses)
          .filter(([status]) => !status.startsWith("2"))
          .map(([status, r]) => ({ status, description: r.description })),
      });
    }
  }
  return { title: doc.info.title, description: doc.info.description ?? "", operations };
}
