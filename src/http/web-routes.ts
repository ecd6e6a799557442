import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * The built web front-end (`npm run build:web` → dist/web) sits two levels above this file when run
 * from `src/` (tsx, vitest) and is `dist/web` beside `dist/src/` when run from the build.
 */
export function defaultWebDir(): string | undefined {
  for (const up of ['../../dist/web', '../../web']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

const NOT_BUILT = `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>DMP · interface web non construite</title></head>
<body>
<main>
<h1>Interface web non construite</h1>
<p>Le serveur FHIR fonctionne (API sous <a href="fhir/metadata">/fhir</a>, documentation sous <a href="docs">/docs</a>),
mais l’interface web « Mon DMP » n’a pas été construite. La commande <code>npm run build:web</code> la construit
(<code>npm install</code> le fait aussi), puis redémarrez le serveur.</p>
</main>
</body>
</html>
`;

/**
 * The web front-end at `/`: the page, read at each request, and its hashed assets under `/assets/`,
 * cached for good (hash routing, so no SPA fallback). A rebuild while the server runs is served at
 * once; without any build, `/` says how to make one.
 */
export async function registerWebRoutes(app: FastifyInstance, dir: string | undefined = defaultWebDir()): Promise<void> {
  await app.register(async (web) => {
    const assets = dir ? path.join(dir, 'assets') : undefined;
    if (assets && existsSync(assets)) {
      await web.register(fastifyStatic, {
        root: assets,
        prefix: '/assets/',
        index: false,
        cacheControl: false,
        schemaHide: true,
        // sendFile of the page below goes through here too: only assets are immutable
        setHeaders: (reply, file) => reply.header('cache-control', file.startsWith(assets + path.sep) ? 'public, max-age=31536000, immutable' : 'no-cache'),
      });
    } else {
      await web.register(fastifyStatic, { root: os.tmpdir(), serve: false, schemaHide: true });
    }
    web.get('/', { schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      if (dir && existsSync(path.join(dir, 'index.html'))) return reply.sendFile('index.html', dir);
      return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
    });
  });
}
