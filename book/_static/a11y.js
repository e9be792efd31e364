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
});
