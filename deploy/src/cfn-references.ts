/**
 * Finds every reference a template makes: `Ref`, `Fn::GetAtt`, the `${...}` variables of `Fn::Sub`,
 * condition names (`Fn::If`, `{Condition: ...}`, a resource's `Condition`), `Fn::FindInMap` and `DependsOn`.
 */
import { intrinsicKey, isRecord, type JsonRecord, recordAt, toArray } from "./json.ts";

export type ReferenceKind = "Ref" | "GetAtt" | "Sub" | "Condition" | "FindInMap" | "DependsOn";

export interface Reference {
  kind: ReferenceKind;
  target: string;
  /** For GetAtt and `${Resource.Attribute}` in Sub. */
  attribute?: string;
  /** Dotted location, e.g. `Resources.Instance.Properties.UserData`. */
  path: string;
  /** Top-level section the reference sits in: Resources, Outputs, Conditions, Rules, ... */
  section: string;
  /** The logical id of the resource / output / condition holding the reference. */
  owner: string;
  /** True when the reference sits in a branch of an `Fn::If`. */
  inIf: boolean;
}

/** The `${...}` variables of a Sub string, without `${!Literal}` escapes. */
export function subVariables(text: string): { name: string; attribute?: string }[] {
  const vars: { name: string; attribute?: string }[] = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    const inner = match[1]!.trim();
    if (inner.startsWith("!")) continue;
    const dot = inner.indexOf(".");
    if (dot > 0 && !inner.startsWith("AWS::")) {
      vars.push({ name: inner.slice(0, dot), attribute: inner.slice(dot + 1) });
    } else {
      vars.push({ name: inner });
    }
  }
  return vars;
}

interface WalkContext {
  section: string;
  owner: string;
  inIf: boolean;
  out: Reference[];
}

function push(ctx: WalkContext, path: string, ref: Omit<Reference, "path" | "section" | "owner" | "inIf">) {
  ctx.out.push({ ...ref, path, section: ctx.section, owner: ctx.owner, inIf: ctx.inIf });
}

function walk(value: unknown, path: string, ctx: WalkContext): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      walk(item, `${path}[${i}]`, ctx);
    });
    return;
  }
  if (!isRecord(value)) return;
  const key = intrinsicKey(value);
  const arg = key ? value[key] : undefined;
  const at = key ? `${path}.${key}` : path;
  switch (key) {
    case "Ref":
      if (typeof arg === "string") push(ctx, at, { kind: "Ref", target: arg });
      else walk(arg, at, ctx);
      return;
    case "Condition":
      if (typeof arg === "string") push(ctx, at, { kind: "Condition", target: arg });
      else walk(arg, at, ctx);
      return;
    case "Fn::GetAtt": {
      const parts = typeof arg === "string" ? arg.split(".") : toArray(arg);
      const [target, attribute] = parts;
      if (typeof target === "string") {
        push(ctx, at, {
          kind: "GetAtt",
          target,
          ...(typeof attribute === "string" ? { attribute } : {}),
        });
      }
      if (attribute !== undefined && typeof attribute !== "string") walk(attribute, `${at}[1]`, ctx);
      return;
    }
    case "Fn::Sub": {
      const [text, variables] = typeof arg === "string" ? [arg, undefined] : toArray(arg);
      const local = new Set(isRecord(variables) ? Object.keys(variables) : []);
      if (typeof text === "string") {
        for (const v of subVariables(text)) {
          if (local.has(v.name) && v.attribute === undefined) continue;
          push(ctx, at, { kind: "Sub", target: v.name, ...(v.attribute ? { attribute: v.attribute } : {}) });
        }
      } else {
        walk(text, `${at}[0]`, ctx);
      }
      if (variables !== undefined) walk(variables, `${at}[1]`, ctx);
      return;
    }
    case "Fn::If": {
      const [condition, whenTrue, whenFalse] = toArray(arg);
      if (typeof condition === "string") push(ctx, `${at}[0]`, { kind: "Condition", target: condition });
      const branchCtx = { ...ctx, inIf: true };
      walk(whenTrue, `${at}[1]`, branchCtx);
      walk(whenFalse, `${at}[2]`, branchCtx);
      return;
    }
    case "Fn::FindInMap": {
      const [mapName, ...keys] = toArray(arg);
      if (typeof mapName === "string") push(ctx, `${at}[0]`, { kind: "FindInMap", target: mapName });
      else walk(mapName, `${at}[0]`, ctx);
      walk(keys, at, ctx);
      return;
    }
    case undefined:
      for (const [k, child] of Object.entries(value)) walk(child, `${path}.${k}`, ctx);
      return;
    default:
      walk(arg, at, ctx);
  }
}

function walkResource(id: string, resource: JsonRecord, out: Reference[]): void {
  const ctx: WalkContext = { section: "Resources", owner: id, inIf: false, out };
  const base = `Resources.${id}`;
  if (typeof resource.Condition === "string") {
    push(ctx, `${base}.Condition`, { kind: "Condition", target: resource.Condition });
  }
  for (const dep of toArray(resource.DependsOn)) {
    if (typeof dep === "string") push(ctx, `${base}.DependsOn`, { kind: "DependsOn", target: dep });
  }
  for (const key of ["Properties", "Metadata", "CreationPolicy", "UpdatePolicy"]) {
    if (resource[key] !== undefined) walk(resource[key], `${base}.${key}`, ctx);
  }
}

/** Every reference in Resources, Outputs, Conditions and Rules. */
export function collectReferences(template: JsonRecord): Reference[] {
  const out: Reference[] = [];
  for (const [id, resource] of Object.entries(recordAt(template, "Resources"))) {
    if (isRecord(resource)) walkResource(id, resource, out);
  }
  for (const [id, output] of Object.entries(recordAt(template, "Outputs"))) {
    if (!isRecord(output)) continue;
    const ctx: WalkContext = { section: "Outputs", owner: id, inIf: false, out };
    if (typeof output.Condition === "string") {
      push(ctx, `Outputs.${id}.Condition`, { kind: "Condition", target: output.Condition });
    }
    walk(output.Value, `Outputs.${id}.Value`, ctx);
    walk(output.Export, `Outputs.${id}.Export`, ctx);
  }
  for (const [id, condition] of Object.entries(recordAt(template, "Conditions"))) {
    walk(condition, `Conditions.${id}`, { section: "Conditions", owner: id, inIf: false, out });
  }
  for (const [id, rule] of Object.entries(recordAt(template, "Rules"))) {
    walk(rule, `Rules.${id}`, { section: "Rules", owner: id, inIf: false, out });
  }
  return out;
}
