// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("change", (event) => {
  // Facet checkboxes and the sort menu refresh the results at once. The compare boxes sit inside
  // the filter form but belong to #compare-form (form="..."), so only the control's own form counts.
  const form = event.target.form;
  if (form && form.matches("[data-autosubmit]") && event.target.matches("input[type=checkbox], select")) {
    if (window.htmx) {
      htmx.trigger(form, "submit");
    } else {
      form.submit();
    }
  }
  // Compare: keep at most four boxes ticked and show how many are chosen.
  if (event.target.matches("input[name=ids]")) {
    const boxes = [...document.querySelectorAll("input[name=ids]")];
    const chosen = boxes.filter((b) => b.checked);
    boxes.forEach((b) => { b.disabled = !b.checked && chosen.length >= 4; });
    const counter = document.getElementById("compare-count");
    if (counter) counter.textContent = String(chosen.length);
  }
});

// On a phone the filters start folded so the results come first.
document.addEventListener("DOMContentLoaded", () => {
  if (window.matchMedia("(max-width: 56rem)").matches) {
    document.querySelectorAll("details[data-collapse-narrow]").forEach((d) => d.removeAttribute("open"));
  }
});
