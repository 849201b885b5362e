// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../vendor/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A wide table's box that really scrolls is given a tab stop and a name, so keyboard users can
// scroll it (WCAG 2.1.1); boxes that fit get no needless tab stop.
function labelScrollingTables() {
  for (const box of document.querySelectorAll(".cg-table-scroll")) {
    const scrolls = box.scrollWidth > box.clientWidth;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", `${caption ? caption.textContent.trim() : "Table"} (scrolls sideways)`);
    } else if (!scrolls && box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}
labelScrollingTables();
window.addEventListener("resize", labelScrollingTables);
