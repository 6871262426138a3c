/* clipper search: the script of suche.html (an ES module), on top of Pagefind.
 * Pagefind's own search code and index are files of this site (pagefind/): a query loads
 * only the index chunks and result fragments it needs, from this server alone. This
 * script draws the results itself (German texts, no inline styles, a live region), so
 * the page keeps a strict CSP: only its WebAssembly needs 'wasm-unsafe-eval'.
 * No cookies, no storage; the query is kept in the address (?q=) so a hit's "back" works.
 */

const PAGE_SIZE = 10;
const TYPING_PAUSE_MS = 350;

const form = document.getElementById("suche");
if (form) start(form);

async function start(form) {
  const input = form.querySelector("input[type=search]");
  const status = document.getElementById("suche-status");
  const list = document.getElementById("suche-treffer");
  const more = document.getElementById("suche-mehr");
  const noScript = document.getElementById("suche-ohne-skript");
  const bundle = new URL(form.getAttribute("data-index"), document.baseURI);
  let pagefind;
  try {
    pagefind = await import(new URL("pagefind.js", bundle).href);
    // result URLs are relative to the site root, which is where this page lives
    await pagefind.options({
      baseUrl: new URL(".", document.baseURI).pathname,
      excerptLength: 20,
    });
    await pagefind.init();
  } catch (error) {
    status.textContent = "Die Suche konnte nicht geladen werden. Bitte laden Sie die Seite neu.";
    return;
  }
  noScript.hidden = true;
  form.hidden = false;

  let results = [];
  let shown = 0;
  let asked = 0; // the newest query wins; older answers arriving late are dropped
  let timer = null;

  async function run(query, { announce = true } = {}) {
    const mine = ++asked;
    query = query.trim();
    const url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    if (!query) {
      results = [];
      list.replaceChildren();
      list.hidden = true;
      more.hidden = true;
      status.textContent = "";
      return;
    }
    const found = await pagefind.search(query);
    if (mine !== asked || !found) return;
    results = found.results;
    shown = 0;
    list.replaceChildren();
    await showMore(false);
    if (mine !== asked) return;
    if (announce) status.textContent = summary(results.length, query);
  }

  async function showMore(focusFirst) {
    const mine = asked;
    const next = results.slice(shown, shown + PAGE_SIZE);
    const data = await Promise.all(next.map((r) => r.data()));
    if (mine !== asked) return;
    let first = null;
    for (const hit of data) {
      const item = renderHit(hit);
      list.appendChild(item);
      first = first || item.querySelector("a");
    }
    shown += next.length;
    list.hidden = shown === 0;
    more.hidden = shown >= results.length;
    if (focusFirst && first) first.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), TYPING_PAUSE_MS);
  });
  more.addEventListener("click", () => showMore(true));

  const initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
}

function summary(count, query) {
  if (count === 0) return `Keine Treffer für „${query}“.`;
  return `${count} Treffer für „${query}“.`;
}

function renderHit(hit) {
  const meta = hit.meta || {};
  // a transcript line names its event and video in a filter (clipper/site/search.py)
  const cue = hit.filters && hit.filters.cue ? hit.filters.cue[0].split("\x1f") : null;
  const item = document.createElement("li");
  item.className = "search-hit";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = hit.url;
  link.textContent = (cue ? cue[0] : meta.title) || hit.url;
  heading.appendChild(link);
  item.appendChild(heading);
  const where = document.createElement("p");
  where.className = "search-where";
  where.textContent = cue
    ? `${cue[1]}, bei ${clock(new URL(hit.url, document.baseURI).searchParams.get("t"))}`
    : "Veranstaltungsseite (Titel und Beschreibung)";
  item.appendChild(where);
  const text = document.createElement("p");
  text.className = "search-text";
  appendExcerpt(text, hit.excerpt || "");
  item.appendChild(text);
  return item;
}

/* `m:ss` or `h:mm:ss`, as the event page shows its times (clipper.timecode.format_clock). */
function clock(seconds) {
  const total = Math.max(0, Math.floor(parseFloat(seconds) || 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/* Pagefind's excerpt is text with <mark> around the words found; it is rebuilt here as
 * text nodes and <mark> elements, so nothing from the index is ever parsed as HTML. */
function appendExcerpt(target, excerpt) {
  const parts = excerpt.split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part) {
      const text = document.createTextNode(decodeEntities(part));
      if (marked) {
        const mark = document.createElement("mark");
        mark.appendChild(text);
        target.appendChild(mark);
      } else {
        target.appendChild(text);
      }
    }
  }
}

function decodeEntities(text) {
  return text.replace(/&(lt|gt|amp|quot|#39|#x27);/g, (_, name) => ENTITIES[name]);
}

const ENTITIES = { lt: "<", gt: ">", amp: "&", quot: '"', "#39": "'", "#x27": "'" };
