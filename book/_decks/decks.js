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
