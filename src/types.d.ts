// Templates and other text assets are imported as strings: `import tpl from '../templates/x.yaml?raw'`.
// vitest (vite) resolves `?raw` natively; scripts/build.mjs has an esbuild plugin that does the same,
// so the bundle and the single-file binary carry every asset and read nothing from the repo at run time.
declare module '*?raw' {
  const content: string;
  export default content;
}
