/** Small guards for walking parsed template values without `any`. */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function recordAt(value: unknown, key: string): JsonRecord {
  if (!isRecord(value)) return {};
  const child = value[key];
  return isRecord(child) ? child : {};
}

export function toArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** If the value is a single-key intrinsic like `{Ref: "X"}` or `{"Fn::Sub": ...}`, its key; else undefined. */
export function intrinsicKey(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return key === "Ref" || key === "Condition" || key.startsWith("Fn::") ? key : undefined;
}
