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
    entryPoints: [path.join(webDir, 'src', 'main.tsx')],
    bundle: true,
    outfile: path.join(webDist, 'app.js'),
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
