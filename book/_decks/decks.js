/* Deck chrome: a footer with the lecture title, and a dark variant that follows the
   reader's colour scheme or the D key. Loaded after reveal.js, before it initialises. */
(function () {
  const root = document.documentElement;
  const dark = window.matchMedia("(prefers-color-scheme: dark)");
  const stored = window.localStorage && localStorage.getItem("deck-theme");
  root.classList.toggle("deck-dark", stored ? stored === "dark" : dark.matches);
  dark.addEventListener("change", (e) => {
    if (!localStorage.getItem("deck-theme")) root.classList.toggle("deck-dark", e.matches);
  });
  Reveal.on("ready", () => {
    const title = document.querySelector(".reveal .slides h1");
    const footer = document.createElement("div");
    footer.className = "deck-footer";
    footer.textContent = title ? title.textContent.replace(/#$/, "").trim() : document.title;
    document.querySelector(".reveal").appendChild(footer);
    Reveal.addKeyBinding({keyCode: 68, key: "D", description: "Dark or light theme"}, () => {
      const on = root.classList.toggle("deck-dark");
      localStorage.setItem("deck-theme", on ? "dark" : "light");
    });
  });
})();

/* A code cell tagged reveal-output shows its output on the next click. */
document.querySelectorAll(".reveal .tag_reveal-output .cell_output").forEach((output) => {
  output.classList.add("fragment");
});

/* Live mode, only in decks that `make present` opened (the address carried its server's
   token, kept for this tab): key E, or the small button at the bottom, turns the deck's
   code cells into editors run by the local Jupyter kernel, through Thebe (vendored
   under _static/thebe). Nothing is loaded or requested before that; a deck opened any
   other way does nothing here. The first run on a page first runs, silently, every
   cell of the page before the one run (hidden ones included, from
   _static/live/<page>.json), so each cell has the state it had at build time. */
(function () {
  const staticBase = new URL(".", document.currentScript.src);
  if (!/^https?:$/.test(location.protocol) || !window.sessionStorage) return;
  const params = new URLSearchParams(location.search);
  if (params.has("token")) {
    sessionStorage.setItem("deck-live-token", params.get("token"));
    params.delete("token");
    const query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
  const token = sessionStorage.getItem("deck-live-token");
  if (!token || params.has("print-pdf") || params.get("view") === "scroll") return;
  const page = location.pathname.slice(new URL("..", staticBase).pathname.length).replace(/\.html$/, "");
  let started = null;

  function load(tag, attrs) {
    return new Promise((resolve, reject) => {
      const el = Object.assign(document.createElement(tag), attrs);
      el.onload = resolve;
      el.onerror = () => reject(new Error(`live mode: cannot load ${attrs.src || attrs.href}`));
      document.head.appendChild(el);
    });
  }

  async function start() {
    const [record] = await Promise.all([
      fetch(new URL(`live/${page}.json`, staticBase)).then((r) => r.json()),
      load("link", {rel: "stylesheet", href: new URL("thebe/thebe.css", staticBase).href}),
      load("script", {src: new URL("thebe/index.js", staticBase).href}),
    ]);
    // Pair each code cell on the slides with its place in the page's cells.
    const shown = [];
    let next = 0;
    document.querySelectorAll(".reveal .slides .cell").forEach((cell) => {
      const pre = cell.querySelector(":scope > .cell_input pre");
      if (!pre) return;
      const text = pre.textContent.trim();
      let at = next;
      while (at < record.cells.length && record.cells[at].source.trim() !== text) at++;
      if (at === record.cells.length) return;
      next = at + 1;
      let output = cell.querySelector(":scope > .cell_output");
      if (!output) {
        output = Object.assign(document.createElement("div"), {className: "cell_output deck-live-output"});
        cell.appendChild(output);
      }
      pre.setAttribute("data-executable", "true");
      output.setAttribute("data-output", "true");
      shown.push(at);
    });
    document.documentElement.classList.add("deck-live");
    const base = `${location.protocol}//${location.host}`;
    const {server, notebook} = await window.thebe.bootstrap({
      useBinder: false, useJupyterLite: false, requestKernel: false,
      mountStatusWidget: false, mountActivateWidget: false, mountRunAllButton: false,
      mountRestartButton: false, mountRestartAllButton: false,
      mathjaxUrl: "",  // no MathJax 2 from a CDN: LaTeX outputs show as text
      serverSettings: {baseUrl: base, wsUrl: base.replace(/^http/, "ws"), token, appendToken: true},
      kernelOptions: {kernelName: "python3", path: record.path},
      codeMirrorConfig: {theme: "default", lineNumbers: false},
    });
    // The kernel starts now, in the page's folder, while the speaker edits.
    const session = (async () => {
      await server.ready;
      const started = await server.startNewSession(notebook.rendermime);
      notebook.attachSession(started);
      return started;
    })();
    // Before a cell's first run, run the page's cells it follows that have not run yet.
    let done = 0;
    notebook.cells.forEach((cell, i) => {
      const execute = cell.execute.bind(cell);
      cell.execute = async (source) => {
        const kernel = (await session).kernel;
        for (; done < shown[i]; done++) {
          const reply = await kernel.requestExecute({code: record.cells[done].source}).done;
          if (reply.content.status !== "ok") console.warn(`live mode: page cell ${done} failed`);
        }
        done = Math.max(done, shown[i] + 1);
        return execute(source);
      };
    });
    await session;
    return notebook;
  }

  function toggle() {
    const on = document.documentElement.classList.contains("deck-live");
    if (started && on) {
      document.documentElement.classList.remove("deck-live");
      return;
    }
    document.documentElement.classList.add("deck-live");
    started = started || start().catch((err) => {
      started = null;
      document.documentElement.classList.remove("deck-live");
      console.warn(err);
    });
  }

  Reveal.on("ready", () => {
    const button = Object.assign(document.createElement("button"), {
      className: "deck-live-button", textContent: "live", title: "Live code (E)",
    });
    button.addEventListener("click", toggle);
    document.querySelector(".reveal").appendChild(button);
    Reveal.addKeyBinding({keyCode: 69, key: "E", description: "Live code: edit and run cells"}, toggle);
  });
})();
