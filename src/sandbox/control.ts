// /__sandbox: the control API for tests and demos. Exists only in the sandbox; never limited or faulted.
import express, { Router } from 'express';
import { validateFault, type FaultSet } from './faults.js';
import { controlGuard } from './control-guard.js';
import { LIST_SHAPES, type ListShape } from './list-shapes.js';
import { rateLimitProblem } from './rate-limit.js';
import type { SandboxState } from './state.js';
import type { Sandbox } from './types.js';

export interface ControlDeps {
  state: SandboxState;
  faults: FaultSet;
  sandbox: Omit<Sandbox, 'app'>;
}

export function createControlRouter({ state, faults, sandbox }: ControlDeps): Router {
  const router = Router();
  router.use(controlGuard, express.json());
  const body = (req: express.Request): Record<string, unknown> =>
    req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};

  router.get('/faults', (_req, res) => void res.json(faults.list()));
  router.post('/faults', (req, res) => {
    const rule = validateFault(req.body);
    if (typeof rule === 'string') return void res.status(400).json({ error: rule });
    res.status(201).json({ id: faults.add(rule) });
  });
  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  router.delete('/faults/:id', (req, res) => {
    if (faults.remove(Number(req.params.id))) return void res.status(204).end();
    res.status(404).json({ error: 'No such fault' });
  });

  router.post('/reset', (_req, res) => {
    sandbox.reset();
    res.status(204).end();
  });

  // Mints a user token without the browser dance (for the default client unless client_id is given).
  router.post('/tokens', (req, res) => {
    const { username, client_id: clientId } = body(req);
    const user = typeof username === 'string' ? state.userByName(username) : undefined;
    if (!user) return void res.status(404).json({ error: 'Not Found' });
    if (clientId !== undefined && (typeof clientId !== 'string' || !state.clients.has(clientId))) {
      return void res.status(400).json({ error: 'Unknown client_id' });
    }
    const token = sandbox.issueToken(user.name, clientId as string | undefined);
    res.status(201).json({ access_token: token, token_type: 'bearer', user_id: user.id });
  });

  router.get('/users', (_req, res) => void res.json(sandbox.users()));
  // The truth about a user's likes, without spending their rate-limit budget or being faulted.
  router.get('/users/:name/likesids', (req, res) => {
    const user = state.userByName(req.params.name);
    if (!user) return void res.status(404).json({ error: 'Not Found' });
    res.json(state.likedIds(user.id));
  });

  router.put('/latency', (req, res) => {
    const ms = body(req)['ms'];
    if (!Number.isInteger(ms) || (ms as number) < 0 || (ms as number) > 600_000) {
      return void res.status(400).json({ error: 'ms must be an integer from 0 to 600000' });
    }
    state.latencyMs = ms as number;
    res.json({ ms });
  });

  // A budget scaled down for tests and the bench (e.g. 30 per 3 s); counting starts afresh.
  router.get('/rate-limit', (_req, res) => void res.json(sandbox.rateLimit()));
  router.put('/rate-limit', (req, res) => {
    const problem = rateLimitProblem(body(req));
    if (problem) return void res.status(400).json({ error: problem });
    const { limit, windowMs } = body(req) as { limit: number; windowMs: number };
    sandbox.setRateLimit({ limit, windowMs });
    res.json(sandbox.rateLimit());
  });

  // 'legacy' serves the 2019-2020 list items, so app tests can show they cope with both shapes.
  router.get('/list-shape', (_req, res) => void res.json({ shape: state.listShape }));
  router.put('/list-shape', (req, res) => {
    const shape = body(req)['shape'];
    if (!LIST_SHAPES.includes(shape as ListShape)) {
      return void res.status(400).json({ error: `shape must be one of ${LIST_SHAPES.join(', ')}` });
    }
    sandbox.setListShape(shape as ListShape);
    res.json({ shape });
  });

  router.get('/requests', (_req, res) => void res.json(sandbox.requests()));

  router.use((req, res) => void res.status(404).json({ error: `Not Found: ${req.method} /__sandbox${req.path}` }));
  return router;
}
