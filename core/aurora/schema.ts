/**
 * The shape of Thrift types, enough for a generic TJSON codec and for checking the plain JSON
 * of /apibeta against the same tables. One table per struct (structs.ts) serves both protocols:
 * TJSON names fields by id, /apibeta (Gson) by name.
 */

export interface EnumDef {
  name: string;
  /** Name → i32, as api.thrift numbers them. */
  values: Readonly<Record<string, number>>;
}

export interface FieldDef {
  id: number;
  name: string;
  type: ThriftType;
}

export interface StructDef {
  name: string;
  /** A union sets exactly one field. */
  union?: boolean;
  fields: readonly FieldDef[];
}

export type ThriftType =
  | 'bool'
  | 'byte'
  | 'i16'
  | 'i32'
  | 'i64'
  | 'double'
  | 'string'
  | { enum: EnumDef }
  | { struct: StructDef }
  | { list: ThriftType }
  | { set: ThriftType }
  | { map: readonly [ThriftType, ThriftType] };

/** A decoded value in the form both protocols share: structs keyed by field name, enums by name, sets as arrays, maps as objects. */
export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

/** A payload that does not match the table: names the place (`Response.result.scheduleStatusResult.tasks[3]`) and what was wrong. */
export class ShapeError extends Error {
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'ShapeError';
    this.path = path;
  }
}

export function enumName(def: EnumDef, n: number): string | undefined {
  for (const [name, value] of Object.entries(def.values)) if (value === n) return name;
  return undefined;
}

export function describe(type: ThriftType): string {
  if (typeof type === 'string') return type;
  if ('enum' in type) return type.enum.name;
  if ('struct' in type) return type.struct.name;
  if ('list' in type) return `list<${describe(type.list)}>`;
  if ('set' in type) return `set<${describe(type.set)}>`;
  return `map<${describe(type.map[0])},${describe(type.map[1])}>`;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What JSON.stringify shows of a value, cut short, for error messages. */
export function shown(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
