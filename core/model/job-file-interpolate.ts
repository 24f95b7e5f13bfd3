/**
 * The second pass over one job: resolves mustaches the way the Aurora client does before it sends
 * a job to the scheduler, and leaves only the launch-time ones.
 *
 * What Aurora does with a JSON job (apache/aurora HEAD): `aurora job create --read-json` builds the
 * same Pystachio `Job` a `.aurora` file builds (config/loader.py#loads_json), with no `.bind()`
 * bindings since JSON cannot carry them (`--bind` on the command line can, and the console has no
 * such option). The client then binds {{mesos.role}} and {{thermos.user}} to {{role}} and
 * {{mesos.cluster}} to {{cluster}} (config/__init__.py#standard_bindings) and interpolates the
 * whole job (config/thrift.py#convert). So the mustaches that resolve in a JSON job are:
 *   - the struct's own fields and those of every enclosing struct, innermost first: in a process
 *     cmdline {{name}} is the process name, {{task.name}} the task name, {{role}}, {{environment}}
 *     or {{instances}} the job's; {{self.x}} names the innermost struct's field;
 *   - the schema defaults, which are themselves mustaches: Job.name = {{task.name}} and
 *     Task.name = {{processes[0].name}};
 *   - the three standard bindings above.
 * A JSON file written by Aurora itself (`json_dumps` of an interpolated job) has all of these
 * resolved already; a hand-written one may use them, and Aurora accepts it, so we do too.
 * What stays: {{mesos.instance}}, {{mesos.hostname}}, {{thermos.task_id}} and
 * {{thermos.ports[name]}}, resolved per instance at launch (mustache.ts#renderCmdline); any other
 * leftover is Aurora's "Config contains unbound variables" error. Not supported: `{{super.x}}`
 * scopes and `{{&x}}` escapes (both reported as errors, never silently mis-rendered).
 *
 * A value found through a mustache is first resolved in the scopes of the structs its path went
 * into (`{{task.name}}` from a process renders the task's name with the task's fields in scope;
 * a plain `{{name}}` is taken as written), then whatever is still unbound is tried again in the
 * scopes of the string being resolved, up to Pystachio's 100 rounds. That is how Pystachio's
 * Environment/Struct.find scope what they return; it was checked against Pystachio itself.
 */
import type { Json, JsonObject } from './job-file-json.js';
import { childPath, isObject } from './job-file-json.js';
import { mustachePattern, parseRef, runtimeRef, type RefComponent } from './mustache.js';
import type { FieldSchema } from './job-file-schema.js';
import { coerceScalar, pyStr, type Issue, type JobTree } from './job-file-shape.js';

const standardBindings: Record<string, string> = {
  'mesos.role': '{{role}}',
  'mesos.cluster': '{{cluster}}',
  'thermos.user': '{{role}}',
};
const MAX_ROUNDS = 100;

type Found = { text: string } | { error: string } | undefined;
type Leaf = [container: object, key: string | number];

const refText = (comps: RefComponent[]): string =>
  comps.map((c, i) => (c.kind === 'index' ? `[${c.value}]` : i === 0 ? c.value : `.${c.value}`)).join('');

class Interpolator {
  private readonly inProgress: Leaf[] = [];

  constructor(private readonly tree: JobTree) {}

  /** The structs whose fields are visible from a struct, innermost first. */
  chainOf(home: JsonObject): JsonObject[] {
    const out: JsonObject[] = [];
    for (let s: JsonObject | undefined = home; s; s = this.tree.parentOf.get(s)) {
      if (!this.tree.maps.has(s)) out.push(s);
    }
    return out;
  }

  /** Resolves a string in a chain of scopes; the result keeps unbound mustaches as written. */
  resolve(text: string, chain: JsonObject[], errors: string[], withBindings = true): string {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let changed = false;
      let selfRef: string | null = null;
      const before = text;
      text = text.replace(mustachePattern(), (whole: string, escape: string | undefined, address: string) => {
        if (escape) return whole;
        const found = this.lookup(address, chain, withBindings);
        if (found === undefined) return whole;
        if ('error' in found) {
          if (!errors.includes(found.error)) errors.push(found.error);
          return whole;
        }
        changed = true;
        if (found.text === whole) selfRef = whole;
        return found.text;
      });
      if (!changed) return text;
      if (text === before) {
        errors.push(`${selfRef ?? 'a template variable'} refers to itself`);
        return text;
      }
    }
    errors.push(`cannot be resolved: template variables refer to each other in a loop (${MAX_ROUNDS} rounds)`);
    return text;
  }

  private lookup(address: string, chain: JsonObject[], withBindings: boolean): Found {
    const comps = parseRef(address);
    if (!comps) return undefined;
    const first = comps[0]!;
    if (first.kind === 'deref' && first.value === 'self' && chain[0] && !Object.hasOwn(chain[0], 'self')) {
      return comps.length > 1 ? this.walk(chain[0], comps.slice(1)) : { error: `{{self}} names a struct, not a value` };
    }
    for (const scope of chain) {
      const found = this.walk(scope, comps);
      if (found) return found;
    }
    const bound = withBindings && Object.hasOwn(standardBindings, address) ? standardBindings[address] : undefined;
    return bound === undefined ? undefined : { text: bound };
  }

  /**
   * Follows `comps` from a struct; undefined when the struct does not have the path. As in
   * Pystachio, the value found is rendered in the scopes of the structs the path went *into*
   * (`{{task.name}}` sees the task's fields, not the job's); a plain field (`{{name}}`) is taken
   * as written, and the caller's next round resolves what it contains.
   */
  private walk(start: JsonObject, comps: RefComponent[]): Found {
    let container: object = start;
    let entered: JsonObject[] = [];
    let key: string | number = '';
    let field: FieldSchema | undefined;
    let value: Json | undefined = start;
    for (const c of comps) {
      if (Array.isArray(value)) {
        if (c.kind !== 'index' || !/^\d+$/.test(c.value) || Number(c.value) >= value.length) return undefined;
        field = field?.kind === 'list' ? field.of : undefined;
        key = Number(c.value);
      } else if (isObject(value) && this.tree.maps.has(value)) {
        if (c.kind !== 'index' || !Object.hasOwn(value, c.value)) return undefined;
        field = { kind: 'scalar', type: 'string' };
        key = c.value;
      } else if (isObject(value)) {
        if (c.kind !== 'deref' || !Object.hasOwn(value, c.value)) return undefined;
        if (value !== start) entered = [value, ...entered];
        field = this.tree.schemaOf.get(value)?.fields[c.value];
        key = c.value;
      } else {
        return undefined;
      }
      container = value;
      value = (value as Record<string | number, Json>)[key];
    }
    if (value === undefined) return undefined;
    if (typeof value === 'object' && value !== null) {
      return { error: `{{${refText(comps)}}} names a ${Array.isArray(value) ? 'list' : 'struct'}, not a value` };
    }
    if (value === null) return undefined;
    if (typeof value !== 'string') return { text: pyStr(value, field?.kind === 'scalar' ? field.type : undefined) };
    if (this.inProgress.some(([c, k]) => c === container && k === key)) {
      return { error: `{{${refText(comps)}}} refers to itself` };
    }
    this.inProgress.push([container, key]);
    const errors: string[] = [];
    const text = this.resolve(value, entered, errors, false);
    this.inProgress.pop();
    if (errors.length > 0) return { error: errors[0]! };
    if (field?.kind === 'scalar' && field.type !== 'string' && !mustachePattern().test(text)) {
      const typed = coerceScalar(text, field.type);
      if (typed !== undefined) return { text: pyStr(typed, field.type) };
    }
    return { text };
  }
}

/**
 * Resolves every string of the job in place and reports, at the string's path, each mustache that
 * is neither resolvable nor a launch-time variable.
 */
export function interpolateJob(tree: JobTree, path: string, issues: Issue[]): void {
  const interpolator = new Interpolator(tree);
  // Lookups must see the values as written (Pystachio looks into the raw structs), so the
  // results are applied only after every string has been resolved.
  const results: (() => void)[] = [];
  const visit = (value: Json, home: JsonObject, p: string, set: (v: Json | undefined) => void, isDefault = false): void => {
    if (typeof value === 'string') {
      const errors: string[] = [];
      const text = interpolator.resolve(value, interpolator.chainOf(home), errors);
      const problems = errors.length > 0 ? errors : leftovers(text);
      // A default that does not resolve (Task.name = {{processes[0].name}} with no processes) is
      // dropped: the missing field it points at is reported where it is missing.
      if (isDefault && problems.length > 0) return void results.push(() => set(undefined));
      results.push(() => set(text));
      for (const message of problems) issues.push({ path: p, message });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, home, childPath(p, i), (v) => (value[i] = v ?? '')));
    } else if (isObject(value)) {
      const inner = tree.maps.has(value) ? home : value;
      const defaults = tree.defaulted.get(value);
      for (const k of Object.keys(value)) {
        const set = (v: Json | undefined) => (v === undefined ? delete value[k] : (value[k] = v));
        visit(value[k]!, inner, childPath(p, k), set, defaults?.has(k) ?? false);
      }
    }
  };
  visit(tree.root, tree.root, path, () => undefined);
  for (const apply of results) apply();
}

/** Problems with the mustaches left in a resolved string (launch-time variables are fine). */
export function leftovers(text: string): string[] {
  const problems: string[] = [];
  const unbound: string[] = [];
  for (const m of text.matchAll(mustachePattern())) {
    const [whole, escape, address] = m as unknown as [string, string | undefined, string];
    if (escape) problems.push(`${whole}: escaped mustaches ({{&...}}) are not supported`);
    else if (!parseRef(address)) problems.push(`${whole} is not a valid template variable`);
    else {
      const r = runtimeRef(address);
      if (r === 'bad-port') problems.push(`${whole}: bad port reference; use {{thermos.ports[name]}}`);
      else if (r === null && !unbound.includes(whole)) unbound.push(whole);
    }
  }
  if (unbound.length > 0) {
    const noun = unbound.length > 1 ? 'variables' : 'variable';
    problems.unshift(`unbound template ${noun} ${unbound.join(' ')} (Aurora: "Config contains unbound variables")`);
  }
  return problems;
}
