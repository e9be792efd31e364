// Accessibility fixes for markup of the theme and of myst-nb that the site cannot
// template: an aria-label that hides an element's visible text (WCAG 2.5.3, "label in
// name") is removed, so the accessible name is the visible text itself.
document.addEventListener("DOMContentLoaded", () => {
  const selectors = [
    "button.search-button-field[aria-label]", // visible "Search Ctrl+K", label "Search"
    ".theme-switch-button[aria-label]", // icons titled Light/Dark/System, label "Color mode"
    "details.hide > summary[aria-label]", // visible "Show code cell source"
  ];
  document.querySelectorAll(selectors.join(", ")).forEach((el) => el.removeAttribute("aria-label"));
  // The sidebar's toctree captions are given role="heading" without the level a heading
  // role requires (ARIA: aria-level); they head the navigation's lists, one level down.
  document.querySelectorAll('.caption[role="heading"]:not([aria-level])')
    .forEach((el) => el.setAttribute("aria-level", "2"));
  // Sphinx wraps a bibliography's entries (role="doc-biblioentry") in role="list", whose
  // children must be list items: the entries keep their role, the wrapper loses its own.
  document.querySelectorAll('.citation-list[role="list"]')
    .forEach((el) => el.removeAttribute("role"));
});
