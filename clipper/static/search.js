/* clipper search: the script of suche.html (an ES module), on top of Pagefind.
 * Pagefind's own search code and index are files of this site (pagefind/): a query loads
 * only the index chunks and result fragments it needs, from this server alone. This
 * script draws the results itself (German texts, no inline styles, a live region), so
 * the page keeps a strict CSP: only its WebAssembly needs 'wasm-unsafe-eval'.
 * No cookies, no storage; the query is kept in the address (?q=) so a hit's "back" works.
 */

const PAGE_SIZE = 10;
const MORE_LINES = 4; // further matching lines of one video shown under its best one
const ANCHOR_PREFIX = "t";
const EVENT_PARAM = "event";
const VIDEO_PARAM = "videotitle";
const PART_PARAM = "part";
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
      excerptLength: 30,
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
  // A video's transcript is one record (a long one: one per half hour) whose lines are
  // its sub-results, each line a heading with the id "t<seconds>"; the record's address
  // carries the event's and the video's titles (clipper/site/search_records.py), which
  // are left out of every link.
  const address = new URL(hit.url, document.baseURI);
  const params = address.searchParams;
  const meta = { title: (hit.meta || {}).title, video: params.get(VIDEO_PARAM) };
  if (meta.video !== null) meta.title = params.get(EVENT_PARAM);
  for (const name of [EVENT_PARAM, VIDEO_PARAM, PART_PARAM]) params.delete(name);
  const lines = meta.video !== null ? bestLines(hit) : [];
  const item = document.createElement("li");
  item.className = "search-hit";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = lines.length ? lines[0].href : address.href;
  link.textContent = meta.title || address.pathname;
  heading.appendChild(link);
  item.appendChild(heading);
  const where = document.createElement("p");
  where.className = "search-where";
  where.textContent =
    meta.video !== null
    ? lines.length
      ? `${meta.video}, bei ${lines[0].time}`
      : meta.video
    : "Veranstaltungsseite (Titel und Beschreibung)";
  item.appendChild(where);
  const text = document.createElement("p");
  text.className = "search-text";
  appendExcerpt(text, lines.length ? lines[0].excerpt : hit.excerpt || "");
  item.appendChild(text);
  if (lines.length > 1) item.appendChild(moreLines(lines.slice(1), meta.video));
  return item;
}

/* The other lines of the same video that match, each a link to its moment. */
function moreLines(lines, video) {
  const box = document.createElement("div");
  box.className = "search-more-lines";
  const intro = document.createElement("p");
  const shown = lines.slice(0, MORE_LINES);
  intro.textContent =
    lines.length > shown.length
      ? `Weitere Stellen in „${video}“ (${shown.length} von ${lines.length}):`
      : `Weitere Stellen in „${video}“:`;
  box.appendChild(intro);
  const list = document.createElement("ul");
  for (const line of shown) {
    const entry = document.createElement("li");
    const link = document.createElement("a");
    link.href = line.href;
    link.textContent = line.time;
    link.setAttribute("aria-label", `${video}, bei ${line.time}`);
    entry.appendChild(link);
    entry.appendChild(document.createTextNode(" "));
    const words = document.createElement("span");
    appendExcerpt(words, line.excerpt);
    entry.appendChild(words);
    list.appendChild(entry);
  }
  box.appendChild(list);
  return box;
}

/* A video hit's matching lines, best first: the lines with the most of the query's words,
 * then the earliest. Each gets the link that opens the event page at that video and
 * moment, paused (`?v=<video>&t=<seconds>#<video>`, as player.js reads it). */
function bestLines(hit) {
  const lines = [];
  for (const sub of hit.sub_results || []) {
    const address = new URL(sub.url, document.baseURI);
    const id = decodeURIComponent(address.hash.slice(1));
    if (!id.startsWith(ANCHOR_PREFIX)) continue;
    const seconds = id.slice(ANCHOR_PREFIX.length);
    const video = address.searchParams.get("v") || "";
    for (const name of [EVENT_PARAM, VIDEO_PARAM, PART_PARAM]) address.searchParams.delete(name);
    address.searchParams.set("t", seconds);
    address.hash = encodeURIComponent(video);
    const excerpt = sub.excerpt || "";
    // the words found, as words: "Brücke." and "brücke" are one
    const words = new Set(
      [...excerpt.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) =>
        m[1].toLocaleLowerCase("de").replace(/[^\p{L}\p{N}]+/gu, "")
      )
    );
    lines.push({
      href: address.href,
      time: clock(seconds),
      excerpt,
      score: words.size,
      start: parseFloat(seconds) || 0,
    });
  }
  return lines.sort((a, b) => b.score - a.score || a.start - b.start);
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
