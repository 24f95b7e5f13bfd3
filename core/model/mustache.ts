/**
 * Pystachio mustaches, as Aurora's client and the Thermos executor read them.
 *
 * Syntax (pystachio/parsing.py, naming.py): `{{address}}` where the address is a dotted path with
 * optional indexes, `a.b[c].d`; the first component starts with a letter or `_`, a dereference is
 * `[A-Za-z_]\w*`, an index is `[\w\-./]+`. `{{&x}}` is Pystachio's escape for a literal `{{x}}`.
 * Nothing else, not even a space inside the braces, is a valid mustache.
 *
 * What is left for launch time: the client resolves everything it can when it reads a job (see
 * job-file-interpolate.ts) and allows only the runtime namespaces to stay unbound
 * (aurora/config/thrift.py#convert): {{mesos.instance}}, {{mesos.hostname}}, {{thermos.task_id}} and
 * {{thermos.ports[name]}}. ({{thermos.user}} never reaches the executor from a job file: the client
 * binds it to the role; renderCmdline still accepts it.) Thermos fills these in per instance when it
 * launches the task; renderCmdline does the same here.
 */

/** Pystachio's MustacheParser._MUSTACHE_RE; group 1 is the `&` escape, group 2 the address. */
export function mustachePattern(): RegExp {
  return /\{\{(&)?([^{}]+?)\1?\}\}/g;
}

export type RefComponent = { kind: 'deref'; value: string } | { kind: 'index'; value: string };

const derefRe = /^[A-Za-z_]\w*$/;
const indexRe = /^[\w\-./]+$/;
const splitRe = /(\.[A-Za-z_]\w*|\[[\w\-./]+\])/;

/** Pystachio's Ref.from_address; null for an address Pystachio refuses. */
export function parseRef(address: string): RefComponent[] | null {
  if (address === '') return null;
  let text = address;
  if (!text.startsWith('[') && !text.startsWith('.')) {
    if (!/^[A-Za-z_]/.test(text)) return null;
    text = `.${text}`;
  }
  const parts = text.split(splitRe);
  const components: RefComponent[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 0) {
      if (part !== '') return null;
      continue;
    }
    if (part.startsWith('[')) {
      const value = part.slice(1, -1);
      if (!indexRe.test(value)) return null;
      components.push({ kind: 'index', value });
    } else {
      const value = part.slice(1);
      if (!derefRe.test(value)) return null;
      components.push({ kind: 'deref', value });
    }
  }
  return components.length > 0 ? components : null;
}

export type RuntimeRef =
  { kind: 'instance' } | { kind: 'hostname' } | { kind: 'taskId' } | { kind: 'user' } | { kind: 'port'; name: string };

/**
 * The runtime variable an address names, if it is one; 'bad-port' for a `thermos.ports` reference
 * that is not `thermos.ports[name]` (Aurora: "Bad port specification").
 */
export function runtimeRef(address: string): RuntimeRef | 'bad-port' | null {
  const c = parseRef(address);
  if (!c || c[0]!.kind !== 'deref') return null;
  const [head, second, third] = c;
  if (head!.value === 'mesos' && c.length === 2 && second!.kind === 'deref') {
    if (second!.value === 'instance') return { kind: 'instance' };
    if (second!.value === 'hostname') return { kind: 'hostname' };
    return null;
  }
  if (head!.value !== 'thermos' || !second || second.kind !== 'deref') return null;
  if (second.value === 'ports') {
    return c.length === 3 && third!.kind === 'index' ? { kind: 'port', name: third!.value } : 'bad-port';
  }
  if (c.length !== 2) return null;
  if (second.value === 'task_id') return { kind: 'taskId' };
  if (second.value === 'user') return { kind: 'user' };
  return null;
}

/** Named ports a string references as {{thermos.ports[name]}}, in order of first use. */
export function referencedPorts(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(mustachePattern())) {
    const r = m[1] ? null : runtimeRef(m[2]!);
    if (r && r !== 'bad-port' && r.kind === 'port' && !names.includes(r.name)) names.push(r.name);
  }
  return names;
}

export interface LaunchContext {
  /** The instance id, 0..instances-1. */
  instance: number;
  /** The agent's hostname. */
  hostname: string;
  taskId: string;
  /** The ports the scheduler assigned to this task, by name. */
  ports: Record<string, number>;
  /** The Unix user the task runs as (Aurora: the role). */
  user: string;
}

/** A cmdline that cannot be rendered at launch. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

function runtimeValue(r: RuntimeRef, ctx: LaunchContext, mustache: string): string {
  switch (r.kind) {
    case 'instance':
      return String(ctx.instance);
    case 'hostname':
      return ctx.hostname;
    case 'taskId':
      return ctx.taskId;
    case 'user':
      return ctx.user;
    case 'port': {
      const port = Object.hasOwn(ctx.ports, r.name) ? ctx.ports[r.name] : undefined;
      if (port === undefined) {
        const assigned = Object.keys(ctx.ports);
        throw new TemplateError(
          `${mustache}: no port named "${r.name}" was assigned to this task ` +
            `(assigned: ${assigned.length > 0 ? assigned.join(', ') : 'none'})`,
        );
      }
      return String(port);
    }
  }
}

/**
 * Resolves the runtime mustaches of a cmdline for one instance, as Thermos does at launch.
 * Throws TemplateError for an unknown port name, for any other mustache (a job file that passed
 * parseJobFile has none), and for a mustache that only appears after substitution (nesting).
 */
export function renderCmdline(cmdline: string, ctx: LaunchContext): string {
  const rendered = cmdline.replace(mustachePattern(), (whole, escape: string | undefined, address: string) => {
    const r = escape ? null : runtimeRef(address);
    if (r === null) throw new TemplateError(`${whole}: not a launch-time variable (unbound template variable)`);
    if (r === 'bad-port') throw new TemplateError(`${whole}: bad port reference; use {{thermos.ports[name]}}`);
    return runtimeValue(r, ctx, whole);
  });
  const nested = mustachePattern().exec(rendered);
  if (nested) throw new TemplateError(`${nested[0]}: template variables may not be nested`);
  return rendered;
}
