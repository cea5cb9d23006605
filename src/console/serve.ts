/**
 * Serves the built web console (dist/console/, see hack/build-console.ts) at /console/ on the
 * auxiliary express app. The files hold no data, so they are served without credentials (the
 * wire layer lists /console among its anonymous paths); every API call the page makes carries
 * the user's bearer token and goes through authentication and RBAC like kubectl's.
 *
 * The Content-Security-Policy pins the page to this origin: no script, style, image or
 * connection to anywhere else, so the console makes no external network requests even if a
 * dependency tried to.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';

export const CONSOLE_PATH = '/console';

/** dist/console beside dist/src (this file runs as dist/src/console/serve.js). */
export const CONSOLE_ASSETS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'console');

export const CONSOLE_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export function registerConsole(app: Express, assets = CONSOLE_ASSETS): void {
  app.use(CONSOLE_PATH, (_req, res, next) => {
    res.set({
      'Content-Security-Policy': CONSOLE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      // small files, rebuilt with the server: always revalidate
      'Cache-Control': 'no-cache',
    });
    next();
  });
  if (!existsSync(join(assets, 'index.html'))) {
    app.use(CONSOLE_PATH, (_req, res) => {
      res.status(503).type('text/plain').send('The console is not built: run "npm run build" (it bundles src/console/web into dist/console).\n');
    });
    return;
  }
  app.use(CONSOLE_PATH, express.static(assets, { index: 'index.html', redirect: true, dotfiles: 'ignore', etag: true }));
}
