import { it } from 'vitest';
import { buildWorld } from './scenario.js';
it('smoke', async () => {
  const w = await buildWorld('embedded');
  console.log(w.log.map(s => `${s.status} ${s.what} by ${s.by}`).join('\n'));
  const nurse = await w.agent('nurse');
  const r = await nurse.get(`/fhir/DocumentReference?patient=${w.id('alice')}&_count=100`);
  console.log(r.status, r.body.total, r.body.entry?.map((e: any) => w.name(e.resource.id)));
  await w.close();
});
