import { open } from 'lmdb';
const env = open({ path: process.argv[2], maxDbs: 8, readOnly: true });
const heads = env.openDB({ name: 'heads' });
const versions = env.openDB({ name: 'versions' });
const sizes: Record<string, number[]> = {};
for (const { key, value } of heads.getRange({})) {
  const t = (key as any)[0];
  (sizes[t] ??= []).push(heads.getBinary(key)!.length);
}
for (const [t, s] of Object.entries(sizes)) console.log('head', t, s.length, Math.round(s.reduce((a, b) => a + b, 0) / s.length));
const vs: Record<string, number[]> = {};
for (const { key } of versions.getRange({})) { const t = (key as any)[0]; (vs[t] ??= []).push(versions.getBinary(key)!.length); }
for (const [t, s] of Object.entries(vs)) console.log('version', t, s.length, Math.round(s.reduce((a, b) => a + b, 0) / s.length));
const doc = [...heads.getRange({ start: ['DocumentReference'], limit: 1 })][0]!;
console.log(JSON.stringify(doc.value).length, JSON.stringify(doc.value, null, 0).slice(0, 3000));
