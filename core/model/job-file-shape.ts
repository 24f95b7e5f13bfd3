/**
 * The first and third passes over one job of a job file, driven by job-file-schema.ts:
 * `normalizeJob` checks the shape (unknown fields, objects vs lists vs scalars, required fields)
 * and copies the job into a tree with the schema defaults filled in;
 * after interpolation, `coerceScalars` turns each scalar into its schema type the way Pystachio
 * coerces (an Integer may be written "5", a Boolean "true").
 */
import type { Json, JsonObject } from './job-file-json.js';
import { childPath, isObject } from './job-file-json.js';
import type { FieldSchema, ScalarType, StructSchema } from './job-file-schema.js';

export interface Issue {
  path: string;
  message: string;
}

/** What the passes know about each object of the normalized tree. */
export interface JobTree {
  root: JsonObject;
  /** The schema of a struct object; maps are absent (see `maps`). */
  schemaOf: WeakMap<object, StructSchema>;
  /** The nearest enclosing struct of a struct or a map (lists are transparent). */
  parentOf: WeakMap<object, JsonObject>;
  maps: WeakSet<object>;
  /** The fields of a struct that hold a schema default rather than a value from the file. */
  defaulted: WeakMap<object, Set<string>>;
}

const articles: Record<ScalarType, string> = { integer: 'an integer', float: 'a number', boolean: 'true or false', string: 'a string' };
const article = (t: ScalarType): string => articles[t];

export function normalizeJob(job: Json, schema: StructSchema, path: string, issues: Issue[]): JobTree | null {
  const tree: JobTree = {
    root: {},
    schemaOf: new WeakMap(),
    parentOf: new WeakMap(),
    maps: new WeakSet(),
    defaulted: new WeakMap(),
  };
  const root = normalizeStruct(job, schema, path, null, tree, issues);
  if (!root) return null;
  tree.root = root;
  return tree;
}

function normalizeStruct(
  value: Json,
  schema: StructSchema,
  path: string,
  parent: JsonObject | null,
  tree: JobTree,
  issues: Issue[],
): JsonObject | null {
  if (!isObject(value)) {
    issues.push({ path, message: `must be an object (Aurora's ${schema.name})` });
    return null;
  }
  const out: JsonObject = {};
  tree.schemaOf.set(out, schema);
  if (parent) tree.parentOf.set(out, parent);
  for (const key of Object.keys(value)) {
    const field = schema.fields[key];
    const p = childPath(path, key);
    if (!field || !Object.hasOwn(schema.fields, key)) {
      issues.push({ path: p, message: `unknown field: Aurora's ${schema.name} has no "${key}"` });
      continue;
    }
    const v = normalizeField(value[key]!, field, p, out, tree, issues);
    if (v !== undefined) out[key] = v;
  }
  const defaulted = new Set<string>();
  for (const [key, field] of Object.entries(schema.fields)) {
    if (Object.hasOwn(value, key)) continue;
    if (field.required) issues.push({ path: childPath(path, key), message: 'is required' });
    else if (field.default !== undefined) {
      const v =
        field.kind === 'scalar'
          ? field.default
          : normalizeField(structuredClone(field.default), field, childPath(path, key), out, tree, issues);
      if (v !== undefined) out[key] = v;
      defaulted.add(key);
    }
  }
  tree.defaulted.set(out, defaulted);
  return out;
}

function normalizeField(
  value: Json,
  field: FieldSchema,
  path: string,
  parent: JsonObject,
  tree: JobTree,
  issues: Issue[],
): Json | undefined {
  switch (field.kind) {
    case 'scalar':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
      issues.push({ path, message: `must be ${article(field.type)}` });
      return undefined;
    case 'struct':
      return normalizeStruct(value, field.schema, path, parent, tree, issues) ?? undefined;
    case 'list': {
      if (!Array.isArray(value)) {
        issues.push({ path, message: 'must be a list' });
        return undefined;
      }
      const out: Json[] = [];
      value.forEach((item, i) => {
        const v = normalizeField(item, field.of, childPath(path, i), parent, tree, issues);
        if (v !== undefined) out.push(v);
      });
      return out.length === value.length ? out : undefined;
    }
    case 'map': {
      if (!isObject(value)) {
        issues.push({ path, message: 'must be an object of strings' });
        return undefined;
      }
      const out = Object.create(null) as JsonObject;
      tree.maps.add(out);
      tree.parentOf.set(out, parent);
      for (const [k, v] of Object.entries(value)) {
        if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
        else issues.push({ path: childPath(path, k), message: 'must be a string' });
      }
      return out;
    }
  }
}

/** Python's str() of a JSON scalar, as Pystachio renders a value it interpolates. */
export function pyStr(v: string | number | boolean, type?: ScalarType): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  if (type === 'float' && Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  return String(v);
}

/** Pystachio's coercion of a scalar to its type; undefined if it does not coerce. */
export function coerceScalar(v: Json, type: ScalarType): string | number | boolean | undefined {
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? pyStr(v) : undefined;
    case 'integer':
      if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
      if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v.trim());
      return undefined;
    case 'float':
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v.trim());
      return undefined;
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      if (typeof v === 'string' && /^(true|1)$/i.test(v)) return true;
      if (typeof v === 'string' && /^(false|0)$/i.test(v)) return false;
      return undefined;
  }
}

/** Coerces every scalar of a struct (recursively) in place; reports the ones that do not coerce. */
export function coerceScalars(obj: JsonObject, tree: JobTree, path: string, issues: Issue[]): void {
  const schema = tree.schemaOf.get(obj);
  if (!schema) return;
  for (const [key, value] of Object.entries(obj)) {
    const field = schema.fields[key];
    if (!field) continue;
    const v = coerceField(value, field, childPath(path, key), tree, issues);
    // A value that does not coerce is dropped, so the later rules do not report it again.
    if (v === undefined) delete obj[key];
    else obj[key] = v;
  }
}

function coerceField(value: Json, field: FieldSchema, path: string, tree: JobTree, issues: Issue[]): Json | undefined {
  if (field.kind === 'scalar') {
    const v = coerceScalar(value, field.type);
    if (v === undefined) {
      const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
      const whole = field.type === 'integer' && typeof value === 'number' ? ' (a whole number)' : '';
      issues.push({ path, message: `must be ${article(field.type)}${whole}, got ${shown}` });
      return undefined;
    }
    if (field.oneOf && !field.oneOf.includes(String(v))) {
      issues.push({ path, message: `must be one of ${field.oneOf.join(', ')}` });
    }
    return v;
  }
  if (field.kind === 'list' && Array.isArray(value)) {
    return value.map((item, i) => coerceField(item, field.of, childPath(path, i), tree, issues) ?? item);
  }
  if (isObject(value) && tree.schemaOf.has(value)) coerceScalars(value, tree, path, issues);
  return value;
}
