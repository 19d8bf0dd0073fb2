// The REST API (api.thingiverse.com): lists and search (api-lists.ts), thing detail, images,
// like/unlike, users and their likes. One like count for a thing everywhere: state.likeCount().
import { Router } from 'express';
import { sendError } from './http.js';
import { creatorSummary, thingDetail, thingImages, userProfile } from './shapes.js';
import { listEntry } from './list-shapes.js';
import { createGuards, pageOf } from './api-guards.js';
import { createListRouter } from './api-lists.js';
import type { SandboxState } from './state.js';

export function createApiRouter(state: SandboxState): Router {
  const router = Router();
  const g = createGuards(state);
  const { ctx, auth, requireToken, requireUser } = g;
  router.use(createListRouter(state, g));

  router.get('/things/:id', requireToken, (req, res) => {
    const thing = g.findThing(req, res);
    if (thing) res.json(thingDetail(ctx(req), thing, auth(res).userId));
  });

  router.get('/things/:id/images', requireToken, (req, res) => {
    const thing = g.findThing(req, res);
    if (thing) res.json(thingImages(ctx(req), thing));
  });

  // Choice: only sandbox users are listed; like_count also counts the seed's "outside" likers, who are not.
  router.get('/things/:id/likes', requireToken, (req, res) => {
    const thing = g.findThing(req, res);
    if (!thing) return;
    const users = [...(state.likers.get(thing.id) ?? [])].map((id) => state.usersById.get(id)!);
    res.json(users.map((u) => creatorSummary(ctx(req), u)));
  });

  for (const [method, liked] of [['post', true], ['delete', false]] as const) {
    router[method]('/things/:id/likes', requireToken, requireUser, (req, res) => {
      const thing = g.findThing(req, res);
      if (!thing) return;
      // Choice: the same 400 message for liking and for unliking your own thing.
      if (!state.setLike(auth(res).userId!, thing, liked)) return sendError(res, 400, 'You cannot like your own thing');
      res.json({ ok: 'ok' });
    });
  }

  router.get('/users/:name', requireToken, (req, res) => {
    const user = g.findUser(req, res);
    if (user) res.json(userProfile(ctx(req), user, user.id === auth(res).userId));
  });

  // Most recent like first (the real order is uncertain; API doc 3.7).
  router.get('/users/:name/likes', requireToken, (req, res) => {
    const user = g.findUser(req, res);
    const p = user && g.paging(req, res);
    if (!user || !p) return;
    res.json(pageOf(state.likedIds(user.id), p).map((id) => listEntry(ctx(req), state.things.get(id)!)));
  });

  router.get('/users/:name/likesids', requireToken, (req, res) => {
    const user = g.findUser(req, res);
    if (user) res.json(state.likedIds(user.id));
  });

  return router;
}
