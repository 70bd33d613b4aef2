// Progressive enhancement only: every page works without this file.
// After a refused form, move the focus to the summary of its errors so that screen-reader
// and keyboard users hear and reach them first (WCAG 2.1, 3.3.1).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }
});
