// The admin's export page (templates/admin/import_export/export.html): the
// "Select all" box ticks or clears every field, as django-import-export's
// inline onchange="" handler did, which the Content-Security-Policy refuses.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", () => {
      document
        .querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
        .forEach((checkbox) => {
          checkbox.checked = toggle.checked;
        });
    });
  });
});
