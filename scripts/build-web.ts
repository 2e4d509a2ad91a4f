/** Bundles the web app (web/src, Preact + TypeScript) into web/dist with esbuild. */
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const webDir = fileURLToPath(new URL('../web/', import.meta.url));
export const webDist = path.join(webDir, 'dist');

export async function buildWeb(options: { minify?: boolean } = {}): Promise<string> {
  mkdirSync(webDist, { recursive: true });
  await build({
    // app.js and app.css (index.html loads them); pages loaded on demand (the dashboards and their
    // Chart.js: routes.tsx) are split into chunks/, which app.js imports when one is opened. The
    // chunks' names carry their content's hash: an app.js still cached after a new build keeps
    // finding the chunks it was built with, so old chunks are left in place.
    entryPoints: { app: path.join(webDir, 'src', 'main.tsx') },
    bundle: true,
    outdir: webDist,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: options.minify ?? true,
    sourcemap: true,
    logLevel: 'warning',
    tsconfig: path.join(webDir, 'tsconfig.json'),
    // Leaflet's stylesheet (imported by pages/street-map.tsx) is bundled into app.css, with the
    // images it refers to copied beside it.
    loader: { '.png': 'file', '.svg': 'file' },
    assetNames: 'assets/[name]-[hash]',
  });
  cpSync(path.join(webDir, 'public'), webDist, { recursive: true });
  return webDist;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildWeb();
  console.log(`web app built in ${Date.now() - started} ms → ${webDist}`);
}
