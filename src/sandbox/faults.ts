// Fault rules: validation, route matching and the `times` budget. Applying them is fault-middleware.ts.
import type { FaultKind, FaultRule } from './types.js';

export const FAULT_KINDS: readonly FaultKind[] = ['latency', 'status', 'hang', 'reset', 'html403', 'malformed', 'ratelimit'];
const KEYS = new Set(['kind', 'route', 'ms', 'status', 'times', 'after']);
const isInt = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** A clean copy of the rule, or a message saying what is wrong with it. */
export function validateFault(input: unknown): FaultRule | string {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return 'a fault must be a JSON object';
  const r = input as Record<string, unknown>;
  const unknown = Object.keys(r).find((k) => !KEYS.has(k));
  if (unknown) return `unknown field "${unknown}"`;
  if (!FAULT_KINDS.includes(r['kind'] as FaultKind)) return `kind must be one of ${FAULT_KINDS.join(', ')}`;
  const route = r['route'];
  if (route !== undefined && (typeof route !== 'string' || !/^(\*|(\*|[A-Za-z]+)\s+\/\S*)$/.test(route.trim()))) {
    return "route must be '*' or 'METHOD /path' (METHOD may be *; :name matches one segment, * any rest)";
  }
  if (r['ms'] !== undefined && !isInt(r['ms'], 0, 86_400_000)) return 'ms must be an integer from 0 to 86400000';
  if (r['kind'] === 'latency' && r['ms'] === undefined) return 'a latency fault needs ms';
  if (r['status'] !== undefined && !isInt(r['status'], 400, 599)) return 'status must be an integer from 400 to 599';
  if (r['times'] !== undefined && !isInt(r['times'], 1, 1_000_000)) return 'times must be a positive integer';
  if (r['after'] !== undefined && typeof r['after'] !== 'boolean') return 'after must be a boolean';
  const rule: FaultRule = { kind: r['kind'] as FaultKind };
  for (const k of ['route', 'ms', 'status', 'times', 'after'] as const) {
    if (r[k] !== undefined) (rule as unknown as Record<string, unknown>)[k] = r[k];
  }
  return rule;
}

/** 'POST /things/:id/likes' → a predicate on (method, path). A trailing slash on the request is ignored. */
export function compileRoute(route: string | undefined): (method: string, path: string) => boolean {
  const trimmed = route?.trim() ?? '*';
  if (trimmed === '*') return () => true;
  const [m = '*', p = '/'] = trimmed.split(/\s+/);
  const method = m.toUpperCase();
  const body = p
    .replace(/\/+$/, '')
    .split('/')
    .map((seg) => (seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  const re = new RegExp(`^${body}/?$`);
  return (reqMethod, path) =>
    (method === '*' || method === reqMethod || (method === 'GET' && reqMethod === 'HEAD')) && re.test(path);
}

interface Active {
  id: number;
  rule: FaultRule;
  matches: (method: string, path: string) => boolean;
  remaining: number | undefined;
}

export class FaultSet {
  private active: Active[] = [];
  private nextId = 1;

  add(input: FaultRule): number {
    const rule = validateFault(input);
    if (typeof rule === 'string') throw new TypeError(`Invalid fault rule: ${rule}`);
    const id = this.nextId++;
    this.active.push({ id, rule, matches: compileRoute(rule.route), remaining: rule.times });
    return id;
  }

  remove(id: number): boolean {
    const before = this.active.length;
    this.active = this.active.filter((a) => a.id !== id);
    return this.active.length < before;
  }

  clear(): void {
    this.active = [];
  }

  list(): (FaultRule & { id: number; remaining: number | null })[] {
    return this.active.map((a) => ({ id: a.id, ...a.rule, remaining: a.remaining ?? null }));
  }

  /**
   * Choice: rules are tried in the order added; every matching latency rule applies and the first other
   * matching rule ends the request. Only the rules that apply spend one of their `times`.
   */
  take(method: string, path: string): { delays: FaultRule[]; terminal: FaultRule | undefined } {
    const delays: FaultRule[] = [];
    let terminal: FaultRule | undefined;
    for (const a of this.active) {
      if (!a.matches(method, path)) continue;
      if (a.rule.kind !== 'latency' && terminal) continue;
      if (a.rule.kind === 'latency') delays.push(a.rule);
      else terminal = a.rule;
      if (a.remaining !== undefined) a.remaining -= 1;
    }
    this.active = this.active.filter((a) => a.remaining === undefined || a.remaining > 0);
    return { delays, terminal };
  }
}
