// Export of 10,000 likes (issue 13): how long the download takes and how much memory the app
// takes for it. Before each download the app's peak (VmHWM) is reset to its idle RSS (Linux
// clear_refs); its VmRSS is also sampled every 5 ms during the download, in case the kernel
// refuses the reset. Target: the peak stays within +20 MB of the idle RSS before it.
import { performance } from 'node:perf_hooks';
import { request, type Session } from './bench-http.js';
import type { AppProc } from './bench-procs.js';
import { median, timedRow, verdict, type Row } from './bench-report.js';

interface Download { ms: number; idleMb: number; peakMb: number; count: number }

async function download(app: AppProc, s: Session, format: 'json' | 'csv'): Promise<Download> {
  await new Promise((r) => setTimeout(r, 500)); // the previous download's sockets and buffers settle
  const idleMb = app.rssMb();
  const reset = app.resetPeak();
  let sampled = idleMb;
  const timer = setInterval(() => void (sampled = Math.max(sampled, app.rssMb())), 5);
  const t0 = performance.now();
  const res = await request(app.port, 'GET', `/liked/export?format=${format}`, { headers: { host: app.host, cookie: s.cookie } });
  const ms = performance.now() - t0;
  clearInterval(timer);
  const peakMb = Math.max(sampled, reset ? app.peakRssMb() : 0);
  if (res.status !== 200) throw new Error(`GET /liked/export?format=${format} answered ${res.status}`);
  const count = format === 'json'
    ? (JSON.parse(res.body) as { things: unknown[] }).things.length
    : res.body.split(/\r?\n/).filter(Boolean).length - 1; // header row; seed names have no line breaks
  return { ms, idleMb, peakMb, count };
}

export async function exportRows(app: AppProc, s: Session, likes: number, runs: number): Promise<Row[]> {
  const got: Record<'json' | 'csv', Download[]> = { json: [], csv: [] };
  for (let i = 0; i < runs; i++) for (const f of ['json', 'csv'] as const) got[f].push(await download(app, s, f));
  return (['json', 'csv'] as const).map((f) => {
    const d = got[f];
    const over = median(d.map((x) => x.peakMb - x.idleMb));
    const complete = d.every((x) => x.count === likes);
    return verdict(timedRow(`export ${f.toUpperCase()}, ${likes.toLocaleString('en')} likes`, d.map((x) => x.ms), median(d.map((x) => x.peakMb))),
      `peak ${over >= 0 ? '+' : ''}${over.toFixed(1)} MB over idle ${median(d.map((x) => x.idleMb)).toFixed(1)} MB; ${d.map((x) => x.count).join(' / ')} things`,
      `peak <= idle + 20 MB, all ${likes.toLocaleString('en')}`, over <= 20 && complete);
  });
}
