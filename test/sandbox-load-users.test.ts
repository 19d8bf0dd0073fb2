// The sandbox's loadUsers option: extra plain users for the load script (scripts/load.ts).
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createSandbox } from '../src/sandbox/index.js';

describe('createSandbox({ loadUsers })', () => {
  it('adds load_user_1..N who can get tokens, read, like and unlike, with no likes of their own', async () => {
    const sb = createSandbox({ loadUsers: 3 });
    const token = sb.issueToken('load_user_3');
    const me = await request(sb.app).get('/users/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ name: 'load_user_3', first_name: 'Load' });
    expect(sb.likedIds('load_user_3')).toEqual([]);
    const [first] = (await request(sb.app).get('/popular').set('Authorization', `Bearer ${token}`)).body as { id: number }[];
    await request(sb.app).post(`/things/${first.id}/likes`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(sb.likedIds('load_user_3')).toEqual([first.id]);
    await request(sb.app).delete(`/things/${first.id}/likes`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(sb.likedIds('load_user_3')).toEqual([]);
    const minted = await request(sb.app).post('/__sandbox/tokens').send({ username: 'load_user_1' }).expect(201);
    expect(minted.body.user_id).toBe(9_000_001);
  });

  it('keeps them off the consent page and the demo list, and has none by default', () => {
    const sb = createSandbox({ loadUsers: 2 });
    expect(sb.users().map((u) => u.name)).not.toContain('load_user_1');
    expect(() => createSandbox().issueToken('load_user_1')).toThrow(/No sandbox user/);
  });

  it.each([-1, 1.5, 1e6])('refuses loadUsers: %p', (n) => {
    expect(() => createSandbox({ loadUsers: n })).toThrow(/loadUsers/);
  });
});
