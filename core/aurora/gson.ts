import { ShapeError, describe, isRecord, shown, type Plain, type StructDef, type ThriftType } from './schema.js';

/**
 * The plain JSON of `/apibeta` (scheduler/http/api/ApiBeta.java): Gson over the generated
 * Thrift classes, so fields by their IDL names, enums by name, sets and lists as arrays, maps
 * as objects, unions as `{"<member>": value}`, unset fields absent (or null). Decoding checks
 * the answer against the same tables as TJSON, so both protocols hand the same values on.
 */

export function toGson(def: StructDef, v: Record<string, unknown>, path = def.name): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, x] of Object.entries(v)) {
    const field = def.fields.find((f) => f.name === name);
    if (field === undefined) throw new ShapeError(path, `${def.name} has no field "${name}"`);
    if (x === undefined || x === null) continue;
    out[name] = encode(field.type, x as Plain, `${path}.${name}`);
  }
  return out;
}

function encode(type: ThriftType, v: Plain, path: string): unknown {
  if (typeof type === 'object' && 'struct' in type) {
    if (!isRecord(v)) throw new ShapeError(path, `expected a ${type.struct.name}, got ${shown(v)}`);
    return toGson(type.struct, v, path);
  }
  if (typeof type === 'object' && ('list' in type || 'set' in type)) {
    const item = 'list' in type ? type.list : type.set;
    if (!Array.isArray(v)) throw new ShapeError(path, `expected a ${describe(type)}, got ${shown(v)}`);
    return v.map((x, i) => encode(item, x, `${path}[${i}]`));
  }
  // Scalars, enum names and string-keyed maps are already what Gson reads.
  return v;
}

export function fromGson(type: ThriftType, v: unknown, path: string): Plain {
  if (typeof type === 'string') {
    switch (type) {
      case 'bool':
        if (typeof v !== 'boolean') throw new ShapeError(path, `expected true or false, got ${shown(v)}`);
        return v;
      case 'string':
        if (typeof v !== 'string') throw new ShapeError(path, `expected a string, got ${shown(v)}`);
        return v;
      case 'double':
        if (typeof v !== 'number') throw new ShapeError(path, `expected a number, got ${shown(v)}`);
        return v;
      default:
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new ShapeError(path, `expected an integer, got ${shown(v)}`);
        return v;
    }
  }
  if ('enum' in type) {
    if (typeof v !== 'string' || type.enum.values[v] === undefined) throw new ShapeError(path, `${shown(v)} is not a ${type.enum.name}`);
    return v;
  }
  if ('struct' in type) return structFromGson(type.struct, v, path);
  if ('list' in type || 'set' in type) {
    const item = 'list' in type ? type.list : type.set;
    if (!Array.isArray(v)) throw new ShapeError(path, `expected a ${describe(type)} (array), got ${shown(v)}`);
    return v.map((x, i) => fromGson(item, x, `${path}[${i}]`));
  }
  const valueType = type.map[1];
  if (!isRecord(v)) throw new ShapeError(path, `expected a ${describe(type)} (object), got ${shown(v)}`);
  const out: Record<string, Plain> = {};
  for (const [k, x] of Object.entries(v)) out[k] = fromGson(valueType, x, `${path}[${k}]`);
  return out;
}

export function structFromGson(def: StructDef, v: unknown, path = def.name): { [key: string]: Plain } {
  if (!isRecord(v)) throw new ShapeError(path, `expected a ${def.name} object, got ${shown(v)}`);
  const out: Record<string, Plain> = {};
  for (const field of def.fields) {
    const x = v[field.name];
    if (x === undefined || x === null) continue;
    out[field.name] = fromGson(field.type, x, `${path}.${field.name}`);
  }
  if (def.union === true && Object.keys(out).length > 1)
    throw new ShapeError(path, `a ${def.name} sets one field, this sets ${Object.keys(out).join(', ')}`);
  return out;
}
