// Names that Django's admin widgets leave out (archive/admin_labels.py).
"use strict";

// The first column of a tabular inline holds each row's name above the row, under an empty header.
document.addEventListener("DOMContentLoaded", () => {
  for (const header of document.querySelectorAll(".tabular thead th.original:empty")) {
    const name = document.createElement("span");
    name.className = "visually-hidden";
    name.textContent = "Row";
    header.append(name);
  }
});

// select2 shows a text box in place of each autocomplete select, named only by its selection:
// an empty one has no name. Give it the select's, as soon as select2 draws it.
function nameAutocompletes() {
  for (const select of document.querySelectorAll("select.admin-autocomplete[title]")) {
    const rendered = select.nextElementSibling?.querySelector(".select2-selection__rendered");
    if (rendered && !rendered.hasAttribute("aria-label")) {
      rendered.setAttribute("aria-label", select.title);
    }
  }
}
new MutationObserver(nameAutocompletes).observe(document.documentElement, {childList: true, subtree: true});
