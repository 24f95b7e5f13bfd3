import { ShapeError, describe, enumName, isRecord, shown, type FieldDef, type Plain, type StructDef, type ThriftType } from './schema.js';

/**
 * Thrift's TJSONProtocol, driven by the tables of structs.ts: what the scheduler's `/api` speaks
 * when asked with `Content-Type: application/vnd.apache.thrift.json` (reference/aurora.md §4.1).
 * A struct is `{"<id>":{"<tag>":value}}`, a list or set `["<tag>",n,...]`, a map
 * `["<ktag>","<vtag>",n,{...}]`, a bool 1/0, an enum its i32; map keys are always JSON strings.
 * Decoding checks every tag and count, so a truncated or foreign answer is a ShapeError, never a
 * half-read value.
 */

const scalarTags = { bool: 'tf', byte: 'i8', i16: 'i16', i32: 'i32', i64: 'i64', double: 'dbl', string: 'str' } as const;

export function tagOf(type: ThriftType): string {
  if (typeof type === 'string') return scalarTags[type];
  if ('enum' in type) return 'i32';
  if ('struct' in type) return 'rec';
  if ('list' in type) return 'lst';
  if ('set' in type) return 'set';
  return 'map';
}

const MESSAGE_CALL = 1;
const MESSAGE_REPLY = 2;
const MESSAGE_EXCEPTION = 3;

/** The scheduler answered with a TApplicationException (unknown method, internal error, ...). */
export class ThriftException extends Error {
  readonly type: number;

  constructor(message: string, type: number) {
    super(message);
    this.name = 'ThriftException';
    this.type = type;
  }
}

// ---- encoding ----

export function encodeValue(type: ThriftType, v: Plain, path: string): unknown {
  if (typeof type === 'string') {
    switch (type) {
      case 'bool':
        if (typeof v !== 'boolean') throw new ShapeError(path, `expected a bool, got ${shown(v)}`);
        return v ? 1 : 0;
      case 'string':
        if (typeof v !== 'string') throw new ShapeError(path, `expected a string, got ${shown(v)}`);
        return v;
      case 'double':
        if (typeof v !== 'number') throw new ShapeError(path, `expected a number, got ${shown(v)}`);
        // JSON has no NaN or infinities: TJSON quotes them.
        return Number.isFinite(v) ? v : String(v);
      default:
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new ShapeError(path, `expected an integer, got ${shown(v)}`);
        return v;
    }
  }
  if ('enum' in type) {
    const n = typeof v === 'string' ? type.enum.values[v] : undefined;
    if (n === undefined) throw new ShapeError(path, `${shown(v)} is not a ${type.enum.name}`);
    return n;
  }
  if ('struct' in type) {
    if (!isRecord(v)) throw new ShapeError(path, `expected a ${type.struct.name}, got ${shown(v)}`);
    return encodeStruct(type.struct, v, path);
  }
  if ('list' in type || 'set' in type) {
    const item = 'list' in type ? type.list : type.set;
    if (!Array.isArray(v)) throw new ShapeError(path, `expected a ${describe(type)}, got ${shown(v)}`);
    return [tagOf(item), v.length, ...v.map((x, i) => encodeValue(item, x, `${path}[${i}]`))];
  }
  const [key, value] = type.map;
  if (!isRecord(v)) throw new ShapeError(path, `expected a ${describe(type)}, got ${shown(v)}`);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    // Keys are JSON strings whatever their type; a string key is itself.
    out[k] = encodeValue(value, x as Plain, `${path}[${k}]`);
  }
  return [tagOf(key), tagOf(value), Object.keys(out).length, out];
}

export function encodeStruct(def: StructDef, v: Record<string, unknown>, path = def.name): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(v)) {
    // A misspelt field would silently vanish from the request: refuse it.
    if (!def.fields.some((x) => x.name === name)) throw new ShapeError(path, `${def.name} has no field "${name}"`);
  }
  for (const field of def.fields) {
    const x = v[field.name];
    if (x === undefined || x === null) continue;
    out[String(field.id)] = { [tagOf(field.type)]: encodeValue(field.type, x as Plain, `${path}.${field.name}`) };
  }
  if (def.union === true && Object.keys(out).length !== 1) throw new ShapeError(path, `a ${def.name} sets exactly one field`);
  return out;
}

/** `[1,"<method>",1,<seqid>,{args}]` */
export function encodeCall(method: string, seqid: number, args: readonly FieldDef[], values: Record<string, unknown>): string {
  const struct = encodeStruct({ name: `${method}_args`, fields: args }, values, method);
  return JSON.stringify([1, method, MESSAGE_CALL, seqid, struct]);
}

// ---- decoding ----

function integer(v: unknown, path: string): number {
  // Integers are JSON numbers; as map keys (and from some writers, i64s) they are strings.
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new ShapeError(path, `expected an integer, got ${shown(v)}`);
  return n;
}

export function decodeValue(type: ThriftType, v: unknown, path: string): Plain {
  if (typeof type === 'string') {
    switch (type) {
      case 'bool':
        if (v === 1 || v === true) return true;
        if (v === 0 || v === false) return false;
        throw new ShapeError(path, `expected a bool (1 or 0), got ${shown(v)}`);
      case 'string':
        if (typeof v !== 'string') throw new ShapeError(path, `expected a string, got ${shown(v)}`);
        return v;
      case 'double':
        if (typeof v === 'number') return v;
        if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
        if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
        throw new ShapeError(path, `expected a double, got ${shown(v)}`);
      default:
        return integer(v, path);
    }
  }
  if ('enum' in type) {
    const n = integer(v, path);
    const name = enumName(type.enum, n);
    if (name === undefined) throw new ShapeError(path, `${n} is not a ${type.enum.name}`);
    return name;
  }
  if ('struct' in type) return decodeStruct(type.struct, v, path);
  if ('list' in type || 'set' in type) {
    const item = 'list' in type ? type.list : type.set;
    const items = container(v, 2, path, describe(type));
    expectTag(items[0], item, `${path} (element type)`);
    const count = integer(items[1], `${path} (count)`);
    const values = items.slice(2);
    if (values.length !== count) throw new ShapeError(path, `announces ${count} elements but holds ${values.length}`);
    return values.map((x, i) => decodeValue(item, x, `${path}[${i}]`));
  }
  const [keyType, valueType] = type.map;
  const parts = container(v, 4, path, describe(type));
  expectTag(parts[0], keyType, `${path} (key type)`);
  expectTag(parts[1], valueType, `${path} (value type)`);
  const count = integer(parts[2], `${path} (count)`);
  const entries = parts[3];
  if (parts.length !== 4 || !isRecord(entries)) throw new ShapeError(path, `expected ["ktag","vtag",n,{...}], got ${shown(v)}`);
  const out: Record<string, Plain> = {};
  for (const [k, x] of Object.entries(entries)) {
    const key = typeof keyType === 'string' && keyType === 'string' ? k : String(decodeValue(keyType, k, `${path} key ${k}`));
    out[key] = decodeValue(valueType, x, `${path}[${k}]`);
  }
  if (Object.keys(out).length !== count) throw new ShapeError(path, `announces ${count} entries but holds ${Object.keys(out).length}`);
  return out;
}

function container(v: unknown, min: number, path: string, what: string): unknown[] {
  if (!Array.isArray(v) || v.length < min) throw new ShapeError(path, `expected a ${what}, got ${shown(v)}`);
  return v;
}

function expectTag(tag: unknown, type: ThriftType, path: string): void {
  if (tag !== tagOf(type)) throw new ShapeError(path, `expected type tag "${tagOf(type)}" (${describe(type)}), got ${shown(tag)}`);
}

export function decodeStruct(def: StructDef, v: unknown, path = def.name): { [key: string]: Plain } {
  if (!isRecord(v)) throw new ShapeError(path, `expected a ${def.name} object, got ${shown(v)}`);
  const out: Record<string, Plain> = {};
  for (const [id, wrapped] of Object.entries(v)) {
    const field = def.fields.find((x) => String(x.id) === id);
    if (field === undefined) continue; // a field this console does not use, or a newer scheduler's
    const at = `${path}.${field.name}`;
    if (!isRecord(wrapped) || Object.keys(wrapped).length !== 1)
      throw new ShapeError(at, `expected {"<tag>": value}, got ${shown(wrapped)}`);
    const [tag, value] = Object.entries(wrapped)[0] as [string, unknown];
    expectTag(tag, field.type, at);
    out[field.name] = decodeValue(field.type, value, at);
  }
  if (def.union === true && Object.keys(out).length > 1)
    throw new ShapeError(path, `a ${def.name} sets one field, this sets ${Object.keys(out).join(', ')}`);
  return out;
}

const applicationException: StructDef = {
  name: 'TApplicationException',
  fields: [
    { id: 1, name: 'message', type: 'string' },
    { id: 2, name: 'type', type: 'i32' },
  ],
};

/**
 * Reads `[1,"<method>",2,<seqid>,{"0":{"rec":{...}}}]` and returns the decoded `success` value.
 * Throws ThriftException for a reply of type 3, ShapeError for anything that is not the reply asked for.
 */
export function decodeReply(text: string, method: string, seqid: number, result: ThriftType): Plain {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ShapeError('reply', `not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(json) || json.length !== 5)
    throw new ShapeError('reply', `expected a TJSON message [1,"${method}",2,${seqid},{...}], got ${shown(json)}`);
  const [version, name, type, seq, body] = json as unknown[];
  if (version !== 1) throw new ShapeError('reply', `TJSON version ${shown(version)}, expected 1`);
  if (name !== method) throw new ShapeError('reply', `answers ${shown(name)}, not ${method}`);
  if (seq !== seqid) throw new ShapeError('reply', `has sequence id ${shown(seq)}, expected ${seqid}`);
  if (type === MESSAGE_EXCEPTION) {
    const e = decodeStruct(applicationException, body, 'TApplicationException');
    throw new ThriftException(typeof e.message === 'string' ? e.message : '(no message)', typeof e.type === 'number' ? e.type : 0);
  }
  if (type !== MESSAGE_REPLY) throw new ShapeError('reply', `message type ${shown(type)}, expected 2 (reply)`);
  if (!isRecord(body)) throw new ShapeError('reply', `expected the result struct, got ${shown(body)}`);
  const success = body['0'];
  if (success === undefined) throw new ShapeError('reply', 'the reply carries no result (field 0)');
  const tag = tagOf(result);
  if (!isRecord(success) || !(tag in success))
    throw new ShapeError('reply', `expected the result as {"${tag}": ...}, got ${shown(success)}`);
  return decodeValue(result, success[tag], describe(result));
}
