// Bundles the designer: `node Frontend/build-designer.mjs` (the csproj's BundleDesigner target runs it after npm ci).
// Through esbuild's JavaScript API, which finds its platform binary (@esbuild/<os>-<arch>) whether or not npm ran
// esbuild's install script.
import { build } from 'esbuild';

const started = performance.now();
const result = await build({
  entryPoints: [ 'Frontend/designer.js' ],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  outdir: 'wwwroot/lib/designer',
  // bpmn-js's icon font: the CSS also lists the .eot/.svg variants for old browsers; they are written beside the bundle.
  loader: { '.svg': 'file', '.eot': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file' },
  assetNames: '[name]',
  logLevel: 'warning',
  metafile: true
});
const outputs = Object.entries(result.metafile.outputs)
  .map(([ file, { bytes } ]) => `${file} ${(bytes / 1024).toFixed(0)} KB`)
  .join(', ');
console.log(`designer bundle: ${outputs} in ${(performance.now() - started).toFixed(0)} ms`);
