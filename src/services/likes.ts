// Like state per user, and like/unlike that never guesses. A write that times out or loses
// its connection may or may not have reached Thingiverse: we then read the thing's real
// is_liked instead of assuming, and we never resend the POST on our own (issue 4).
// Rate limiting is the client's own (every call is counted for the token that makes it).
import type { CallOptions, ThingiverseClient } from '../thingiverse/types.js';
import { isUpstreamError } from '../thingiverse/errors.js';
import { judgeReadBack } from '../likes/read-back.js';
import type { LikeState } from '../store/like-state.js';
import type { SessionUser } from '../middleware/session.js';

export interface LikeOutcome {
  /** The state Thingiverse confirmed. */
  liked: boolean;
  /** True when the write's answer was lost and the state was read back afterwards. */
  reconciled: boolean;
  /** False when Thingiverse has it but this app's database was busy: saved here a moment later. */
  savedHere: boolean;
}

/** The words for a change Thingiverse confirmed that this app could not store yet. */
export const NOT_SAVED_HERE = 'Thingiverse has it, but this app could not save it yet (its database is busy); it catches up in a moment.';

export interface LikesService {
  /** Reads the liked ids again unless the snapshot is fresh; concurrent callers share one read. */
  ensureFresh(user: SessionUser, token: string, call?: CallOptions): Promise<void>;
  likedAmong(user: SessionUser, token: string, thingIds: readonly number[], call?: CallOptions): Promise<Set<number>>;
  /** `call`: e.g. a bulk job's reserve, applied to the write. */
  setLiked(user: SessionUser, token: string, thingId: number, liked: boolean, call?: CallOptions): Promise<LikeOutcome>;
  noteLiked(user: SessionUser, thingIds: readonly number[]): void;
  /** Drop the user's snapshot: the next page reads their likes from Thingiverse. */
  forget(userId: number): void;
}

export function createLikesService(deps: {
  client: ThingiverseClient;
  likeState: LikeState;
  likeStateTtlMs: number;
  /** Told every state Thingiverse confirmed (the liked index listens). */
  onConfirmed?: (userId: number, thingId: number, liked: boolean) => void;
}): LikesService {
  const { client, likeState } = deps;
  const confirmed = (user: SessionUser, thingId: number, liked: boolean): boolean => {
    const saved = likeState.set(user.id, thingId, liked);
    deps.onConfirmed?.(user.id, thingId, liked);
    return saved;
  };
  // Single flight per user: a burst of page views on a stale snapshot costs one likesids read.
  const reading = new Map<number, Promise<void>>();
  // The write queue per user and thing: the intent queued last and when it is settled.
  const chains = new Map<string, { liked: boolean; done: Promise<LikeOutcome> }>();

  function ensureFresh(user: SessionUser, token: string, call?: CallOptions): Promise<void> {
    if (likeState.isFresh(user.id, deps.likeStateTtlMs)) return Promise.resolve();
    let p = reading.get(user.id);
    if (!p) {
      // A like confirmed while this read is on its way is newer than the read: keep it.
      const since = likeState.version(user.id);
      p = client
        .likedIds(token, user.name, call)
        .then((ids) => void likeState.replace(user.id, ids, since))
        .finally(() => reading.delete(user.id));
      reading.set(user.id, p);
    }
    return p;
  }

  return {
    ensureFresh,

    async likedAmong(user, token, thingIds, call) {
      if (thingIds.length === 0) return new Set();
      await ensureFresh(user, token, call);
      return likeState.likedAmong(user.id, thingIds);
    },

    setLiked(user, token, thingId, liked, call) {
      return inOrder(user.id, thingId, liked, () => write(user, token, thingId, liked, call));
    },

    noteLiked(user, thingIds) {
      for (const id of thingIds) likeState.set(user.id, id, true);
    },

    forget(userId) {
      likeState.invalidate(userId);
    },
  };

  /**
   * Writes to one thing by one user go out one after another, in the order asked (two tabs:
   * like, then unlike): the last intent is what Thingiverse ends with, and each confirmed
   * answer updates the snapshot in that same order, so it ends with the state confirmed last.
   * An intent equal to the one already queued last shares it: two identical form posts make
   * one upstream write.
   */
  function inOrder(userId: number, thingId: number, liked: boolean, run: () => Promise<LikeOutcome>): Promise<LikeOutcome> {
    const k = `${userId}:${thingId}`;
    const queued = chains.get(k);
    if (queued && queued.liked === liked) return queued.done;
    const done = (queued ? queued.done.catch(() => undefined) : Promise.resolve()).then(run);
    const entry = { liked, done };
    chains.set(k, entry);
    const cleanUp = () => {
      if (chains.get(k) === entry) chains.delete(k);
    };
    done.then(cleanUp, cleanUp);
    return done;
  }

  async function write(user: SessionUser, token: string, thingId: number, liked: boolean, call?: CallOptions): Promise<LikeOutcome> {
    try {
      await (liked ? client.like(token, thingId, call) : client.unlike(token, thingId, call));
      return { liked, reconciled: false, savedHere: confirmed(user, thingId, liked) };
    } catch (err) {
      if (!isUpstreamError(err) || !err.ambiguous) throw err;
      // Without the caller's reserve: settling a write already sent matters more than a page view.
      const isLiked = await client.thing(token, thingId).then((t) => t.isLiked, () => undefined);
      const verdict = judgeReadBack(err, liked, isLiked);
      if (verdict === 'unknown') {
        // It stays unconfirmed: forget the snapshot so the next page reads the truth.
        likeState.invalidate(user.id);
        throw err;
      }
      const savedHere = confirmed(user, thingId, verdict === 'applied' ? liked : !liked);
      // The write is not there: report the original failure, no longer ambiguous.
      if (verdict === 'not_applied') throw err.settled();
      return { liked, reconciled: true, savedHere };
    }
  }
}
