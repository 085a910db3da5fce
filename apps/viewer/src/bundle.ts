/** Builds the single-page app once (esbuild, in memory): the script bundle, the style sheet and index.html. */
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'

export interface Assets {
  html: string
  js: string
  css: string
}

const uiDir = new URL('./ui/', import.meta.url)

export async function buildAssets(): Promise<Assets> {
  const out = await build({
    entryPoints: [new URL('main.ts', uiDir).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  })
  const js = out.outputFiles[0]!.text
  const css = readFileSync(new URL('styles.css', uiDir), 'utf8')
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DDC Viewer</title>
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body>
<header class="top">
  <a class="brand" href="#/">DDC Viewer</a>
  <nav>
    <a href="#/">Overview</a>
    <a href="#/blocks">Blocks</a>
    <a href="#/anchors">Anchors</a>
  </nav>
  <form id="search" role="search">
    <input id="q" name="q" placeholder="Block, tx hash, address, CID, bucket…" autocomplete="off">
    <button type="submit">Search</button>
  </form>
</header>
<main id="app"><p class="muted">Loading…</p></main>
<footer class="foot">DDC — decentralized data cloud · <a href="/docs">API docs</a></footer>
</body>
</html>
`
  return { html, js, css }
}
