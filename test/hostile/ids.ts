// Odd thing ids and page numbers: path injection, unicode digits, huge numbers, exponents.
// All must be refused before any URL to Thingiverse exists (P1, E3).
import { expect } from '@jest/globals';
import type { HostileCase } from '../helpers/hostile.js';

// As they appear in the request path (already percent-encoded where needed).
const IDS = [
  '..%2F..%2Fusers%2Fme', '1%2F..%2F..%2Fusers%2Fme', '..', '%2e%2e', '%2E%2E%2F', '1%3Fx%3D1', '1%23x', '1%26a%3D1',
  '-1', '0', '007', '1e3', '1E3', '1.5', '0x10', '0b11', '%2B1', '%201', '1%20', '1%00', '1%0D%0AX%3Ay',
  '%D9%A3', '%EF%BC%91', '%F0%9D%9F%8F', '%E0%A5%A7', '%E2%80%8B1', '1'.repeat(300), '1234567890123',
  '9007199254740993', 'Infinity', 'NaN', '1%2C2', 'null', '%7B%7D', "1'%20OR%20'1'%3D'1", '%3Cscript%3E',
];

const invalidId = (json: boolean) => (res: { text: string; body: { message?: string } }) => {
  if (json) expect(typeof res.body.message).toBe('string');
  else expect(res.text).toMatch(/not a valid Thingiverse thing id|no page at this address/);
};

export const idCases: HostileCase[] = IDS.flatMap((id) => [
  {
    name: `POST /things/${id.slice(0, 40)}/like (form)`,
    status: [400, 404],
    send: (h) => h.req().post(`/things/${id}/like`).set('Cookie', h.a.cookie).type('form').send({ _csrf: h.a.csrf }),
    check: invalidId(false),
  },
  {
    name: `POST /things/${id.slice(0, 40)}/unlike (JSON)`,
    status: [400, 404],
    send: (h) => h.req().post(`/things/${id}/unlike`).set('Cookie', h.a.cookie).set('Accept', 'application/json')
      .type('form').send({ _csrf: h.a.csrf }),
    check: invalidId(true),
  },
]);

const PAGES = ['0', '-1', 'abc', '1e3', '2.5', '1001', '01', '', '%D9%A3', '%00', '1%20', '1'.repeat(300), '1&page=2'];

export const pageCases: HostileCase[] = PAGES.flatMap((p) => [
  {
    name: `GET /?page=${p.slice(0, 30)}`,
    status: 400,
    send: (h) => h.req().get(`/?page=${p}`).set('Cookie', h.a.cookie),
    check: (res) => expect(res.text).toMatch(/page number must be/),
  },
  {
    name: `GET /liked?page=${p.slice(0, 30)}`,
    status: 400,
    send: (h) => h.req().get(`/liked?page=${p}`).set('Cookie', h.a.cookie),
    check: (res) => expect(res.text).toMatch(/page number must be/),
  },
]);
