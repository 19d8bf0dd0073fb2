// GET /liked: the user's liked things, newest first, paginated upstream (never fetched whole).
import { Router } from 'express';
import type { ThingiverseClient } from '../thingiverse/types.js';
import type { LikesService } from '../services/likes.js';
import { parsePage } from '../http/params.js';
import { requireLogin } from '../middleware/require-login.js';
import { csrfToken } from '../middleware/csrf.js';
import { PER_PAGE } from './things.js';

export function createLikedRouter(deps: { client: ThingiverseClient; likes: LikesService }): Router {
  const router = Router();

  router.get('/liked', requireLogin, async (req, res) => {
    const page = parsePage(req.query.page);
    const user = req.session.user!;
    const result = await deps.client.likedThings(req.session.token!, user.name, { page, perPage: PER_PAGE });
    deps.likes.noteLiked(user, result.items.map((t) => t.id));
    res.set('Cache-Control', 'private, no-store');
    res.render('liked', {
      title: 'Liked things',
      things: result.items,
      page,
      hasNext: result.items.length >= PER_PAGE,
      liked: new Set(result.items.map((t) => t.id)),
      returnTo: page > 1 ? `/liked?page=${page}` : '/liked',
      csrf: csrfToken(req),
    });
  });

  return router;
}
