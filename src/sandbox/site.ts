// The website side that is not OAuth: placeholder images and minimal public pages, so that the
// `thumbnail` and `public_url` links in API answers work offline. Not recorded, limited or faulted.
import { Router, type Response } from 'express';
import { listItem } from './list-shapes.js';
import { originOf, str } from './http.js';
import { thingStl, thingSvg, userSvg } from './images.js';
import type { SandboxState } from './state.js';

function sendSvg(res: Response, svg: string): void {
  res.set({
    'Content-Type': 'image/svg+xml',
    'Cache-Control': 'public, max-age=86400',
    // SVG can carry script; this keeps a directly opened image inert.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.send(svg);
}

const PAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

export function createSiteRouter(state: SandboxState): Router {
  const router = Router();

  router.get('/img/things/:file', (req, res) => {
    const [, id, ext] = /^(\d+)\.(svg|stl)$/.exec(req.params.file) ?? [];
    const found = id === undefined ? undefined : state.things.get(Number(id));
    if (!found || (ext === 'stl' && !found.stlThumbnail)) return void res.status(404).type('text/plain').send('Not Found');
    // A `.stl` thumbnail is a 3D model, as on the real CDN: whoever puts it in an <img> gets a broken image.
    if (ext === 'stl') return void res.set('Cache-Control', 'public, max-age=86400').type('model/stl').send(thingStl(found.name));
    const image = Number(str(req.query['image']) ?? 0);
    sendSvg(res, thingSvg(found.id, found.name, Number.isInteger(image) && image >= 0 && image < 10 ? image : 0));
  });

  router.get('/img/users/:file', (req, res) => {
    const name = /^(.+)\.svg$/.exec(req.params.file)?.[1];
    const user = name === undefined ? undefined : state.userByName(name);
    if (!user) return void res.status(404).type('text/plain').send('Not Found');
    sendSvg(res, userSvg(user.name, `${user.firstName} ${user.lastName}`));
  });

  // GET /thing:<id>: the thing's public page (public_url).
  router.get(/^\/thing:(\d+)$/, (req, res) => {
    const thing = state.things.get(Number((req.params as Record<string, string>)['0']));
    if (!thing) return void res.status(404).type('text/plain').send('Not Found');
    const item = listItem({ origin: originOf(req), state }, thing);
    res.set('Content-Security-Policy', PAGE_CSP).render('thing', { thing: item, description: thing.description });
  });

  // GET /u/<name>: a user's public page.
  router.get('/u/:name', (req, res) => {
    const user = state.userByName(req.params.name);
    if (!user) return void res.status(404).type('text/plain').send('Not Found');
    const ctx = { origin: originOf(req), state };
    const things = state.seed.things.filter((t) => t.creatorId === user.id).slice(0, 50).map((t) => listItem(ctx, t));
    res.set('Content-Security-Policy', PAGE_CSP).render('user', { user, things, likeCount: state.likedIds(user.id).length });
  });

  // GET /token-display: a stand-in for "an app with some callback URL registered": the
  // token lands in this page's address bar for the user to copy, as in the original tutorial.
  router.get('/token-display', (_req, res) => {
    res.set({ 'Content-Security-Policy': PAGE_CSP, 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    res.render('token-display');
  });

  // Stray image or page URLs, and the browser's favicon probe, stay out of the API's request log.
  router.get(['/img/*rest', '/u/*rest', '/favicon.ico'], (_req, res) => void res.status(404).type('text/plain').send('Not Found'));
  return router;
}
