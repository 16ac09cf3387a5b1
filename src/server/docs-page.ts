import { createHash } from 'node:crypto';
import { DOCS_RENDER_SOURCE } from './docs-page-script.js';

// GET /api/docs: one self-contained page. Everything it needs is inline and it fetches only the spec
// from this server, because goosed often runs on machines with no internet (design 2b). The inline
// script and style are constants, so DOCS_PAGE_CSP can allow exactly them by hash.

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--code:#eff2f5;--accent:#0969da;--ok:#1a7f37;--bad:#d1242f;--warn:#9a6700;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--soft:#151b23;--code:#262c36;--accent:#4493f8;--ok:#3fb950;--bad:#ff7b72;--warn:#d29922}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg)}
[hidden]{display:none!important}
a{color:var(--accent)}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;background:var(--code);padding:0 .25em;border-radius:4px;overflow-wrap:anywhere}
.skip{position:absolute;left:-999px;top:.5rem;z-index:3;background:var(--bg);padding:.4rem .6rem}.skip:focus{left:.5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1.25rem;background:var(--soft);border-bottom:1px solid var(--line)}
.top h1{flex:1;margin:0;font-size:1.15rem}
input,button{font:inherit;color:inherit;border:1px solid var(--line);border-radius:6px;padding:.35rem .6rem;background:var(--bg)}
button{cursor:pointer;background:var(--accent);border-color:var(--accent);color:#fff;font-weight:600}
#search{width:min(22rem,100%)}
#search-count,.facts,.note,summary,thead th{color:var(--muted)}
.layout{display:grid;grid-template-columns:17rem minmax(0,1fr);gap:2rem;padding:1rem 1.25rem}
.toc{position:sticky;top:4rem;align-self:start;max-height:calc(100vh - 5rem);overflow:auto;font-size:.85rem}
.toc ul{list-style:none;margin:0;padding-left:.6rem}.toc>ul{padding:0}.toc li{margin:.15rem 0}.toc a{text-decoration:none}
@media (max-width:820px){.layout{grid-template-columns:1fr}.toc{position:static;max-height:none}}
#status{margin:2rem 1.25rem}
#key-form{max-width:26rem;margin:2rem auto;padding:1.25rem;border:1px solid var(--line);border-radius:8px;display:grid;gap:.5rem}
#key-form h2{margin:0;font-size:1.1rem}#key-error{margin:0;color:var(--bad)}
h2{font-size:1.35rem;margin:1.5rem 0 .6rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
.op,.component{border:1px solid var(--line);border-radius:8px;padding:.7rem 1rem;margin:0 0 1rem;scroll-margin-top:4.5rem}
.op h3,.component h3{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline;margin:0 0 .3rem;font-size:1rem}
.summary{font-weight:400}
h4{margin:.9rem 0 .3rem;font-size:.78rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
h5{margin:.6rem 0 .2rem;font-size:.95rem}
.method{display:inline-block;min-width:4.3em;padding:0 .4em;border-radius:4px;background:#57606a;color:#fff;text-align:center;text-transform:uppercase;font:700 .72rem/1.7 ui-monospace,Menlo,Consolas,monospace}
.m-get{background:#1a7f37}.m-post{background:#0969da}.m-put,.m-patch{background:#9a6700}.m-delete{background:#cf222e}
.badge{display:inline-block;padding:0 .45em;border:1px solid var(--line);border-radius:999px;font-size:.72rem;font-weight:400;color:var(--muted);white-space:nowrap}
.badge.req{color:var(--bad);border-color:currentColor}.badge.warn{color:var(--warn);border-color:currentColor}
.s-ok{color:var(--ok)}.s-err{color:var(--bad)}
table{width:100%;border-collapse:collapse;margin:.3rem 0;font-size:.88rem}
th,td{padding:.3rem .5rem;border-top:1px solid var(--line);text-align:left;vertical-align:top}
thead th{border-top:0;font-size:.72rem;text-transform:uppercase;font-weight:600}
tbody th{font-weight:400;white-space:nowrap}td.type{min-width:7rem}
p{margin:.2rem 0}.facts,.note{font-size:.84rem}.fmt{color:var(--muted)}
details{margin:.3rem 0;padding-left:.6rem;border-left:2px solid var(--line)}summary{cursor:pointer}
.variants{margin:.2rem 0;padding-left:1.1rem}.variants>li{margin:.3rem 0}
`;

// DOM wiring: the secret key, fetching the spec, search. It touches only document, location, history,
// sessionStorage and fetch, which lets the tests run it against small stand-ins.
const BOOT_SOURCE = String.raw`
(function (D) {
  'use strict';
  var KEY = 'goosed.key';
  function $(id) { return document.getElementById(id); }
  var config = JSON.parse($('docs-config').textContent || '{}');
  var app = $('app'), status = $('status'), form = $('key-form'), keyInput = $('key-input'), keyError = $('key-error');
  var search = $('search'), count = $('search-count');
  // Storage can be switched off or throw in private windows; the page then asks again next time.
  var store = {
    get: function () { try { return sessionStorage.getItem(KEY); } catch (e) { return null; } },
    set: function (v) { try { sessionStorage.setItem(KEY, v); } catch (e) { /* kept for this load only */ } },
    clear: function () { try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing stored */ } },
  };
  var pendingKey = null;

  // A key in the address bar is taken once, then removed so it stays out of history and bookmarks.
  var url = new URL(location.href);
  if (url.searchParams.has('key')) {
    pendingKey = url.searchParams.get('key') || null;
    if (pendingKey) store.set(pendingKey);
    url.searchParams.delete('key');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }

  function say(text) { status.textContent = text; status.hidden = !text; }
  function askKey(message) {
    say('');
    form.hidden = false;
    keyError.textContent = message;
    keyInput.focus();
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var key = keyInput.value.trim();
    if (!key) { keyError.textContent = 'Enter the key first.'; keyInput.focus(); return; }
    pendingKey = key;
    store.set(key);
    keyInput.value = '';
    form.hidden = true;
    load();
  });

  function load() {
    var key = store.get() || pendingKey;
    say('Loading the API description...');
    return fetch(config.specUrl, { headers: key ? { Authorization: 'Bearer ' + key } : {}, cache: 'no-store' }).then(function (response) {
      if (response.status === 401) {
        store.clear();
        pendingKey = null;
        return askKey(key ? 'That key was not accepted.' : '');
      }
      if (!response.ok) return say('The server answered ' + response.status + ' for ' + config.specUrl + '.');
      return response.json().then(function (spec) {
        // The renderer escapes every string it takes from the spec, so this markup is ours alone.
        app.innerHTML = D.renderDocument(spec);
        say('');
        search.disabled = false;
        filter();
        var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
        if (target) target.scrollIntoView();
      }, function () { say('The API description is not valid JSON.'); });
    }, function (error) { say('Could not reach the server: ' + (error && error.message ? error.message : error) + '.'); });
  }

  function filter() {
    var query = search.value;
    var visible = new Set();
    var items = Array.from(app.querySelectorAll('[data-search]'));
    items.forEach(function (el) {
      el.hidden = !D.matchesQuery(el.getAttribute('data-search'), query);
      if (!el.hidden) visible.add(el.id);
    });
    Array.from(app.querySelectorAll('[data-group]')).forEach(function (group) {
      group.hidden = !Array.from(group.querySelectorAll('[data-search]')).some(function (el) { return !el.hidden; });
      if (!group.hidden) visible.add(group.id);
    });
    Array.from(app.querySelectorAll('[data-for]')).forEach(function (li) { li.hidden = !visible.has(li.getAttribute('data-for')); });
    var shown = items.filter(function (el) { return !el.hidden; }).length;
    count.textContent = query.trim() ? shown + ' of ' + items.length + ' match' : '';
  }
  search.addEventListener('input', filter);
  search.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') { search.value = ''; filter(); }
  });
  // '/' jumps to the search box, as on most documentation sites, unless the user is typing.
  document.addEventListener('keydown', function (event) {
    var tag = event.target && event.target.tagName;
    if (event.key === '/' && tag !== 'INPUT' && tag !== 'TEXTAREA' && !search.disabled) { event.preventDefault(); search.focus(); }
  });

  load();
})(GoosedDocs);
`;

/** What goes between <script> and </script>; no option is interpolated, so its hash never changes. */
export const DOCS_SCRIPT = DOCS_RENDER_SOURCE + BOOT_SOURCE;

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Content-Security-Policy for the page: only its own inline script and style, requests only to this
 * server. Send it with the page; it turns any future slip (an unescaped string, a CDN link) into a no-op.
 */
export const DOCS_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${hash(DOCS_SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** JSON that cannot end the <script> element holding it, nor start a comment inside it. */
const scriptSafeJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export function renderDocsPage(options: { title: string; specUrl: string }): string {
  const title = escapeHtml(options.title);
  // Options travel as inert JSON data, not as code, so the script (and its CSP hash) stays constant.
  const config = scriptSafeJson({ specUrl: options.specUrl });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#app">Skip to the reference</a>
<header class="top">
<h1>${title}</h1>
<label class="visually-hidden" for="search">Search operations and schemas</label>
<input id="search" type="search" placeholder="Search (press /)" autocomplete="off" spellcheck="false" aria-describedby="search-count" disabled>
<span id="search-count" role="status" aria-live="polite"></span>
</header>
<p id="status" role="status" aria-live="polite">Loading the API description...</p>
<form id="key-form" hidden aria-labelledby="key-title">
<h2 id="key-title">Secret key</h2>
<p id="key-help">This server was started with a secret key; the reference needs it. It is kept in this tab only.</p>
<label for="key-input">Key</label>
<input id="key-input" name="key" type="password" autocomplete="off" spellcheck="false" required aria-describedby="key-help key-error">
<p id="key-error" role="alert"></p>
<button type="submit">Show the API</button>
</form>
<main id="app" tabindex="-1"></main>
<noscript><p>This page needs JavaScript. The raw description is at <a href="${escapeHtml(options.specUrl)}">${escapeHtml(options.specUrl)}</a>.</p></noscript>
<script type="application/json" id="docs-config">${config}</script>
<script>${DOCS_SCRIPT}</script>
</body>
</html>
`;
}
