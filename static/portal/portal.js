// Tree browser: the first click loads the children (htmx), later clicks fold and unfold them.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".tree button.toggle");
  if (!button) return;
  var list = button.parentElement.querySelector(":scope > ul");
  if (button.dataset.loaded) {
    list.classList.toggle("d-none");
  } else {
    button.dataset.loaded = "1";
  }
  var open = !list.classList.contains("d-none");
  button.setAttribute("aria-expanded", open ? "true" : "false");
  button.innerHTML = open ? '<i class="bi bi-dash-square"></i>' : '<i class="bi bi-plus-square"></i>';
});

// A catalog entry shows only the fields of its way of deciding (the server ignores the others).
function showFieldsOfMode(form) {
  var select = form.querySelector("[data-mode-select]");
  if (!select) return;
  form.querySelectorAll("[data-modes]").forEach(function (wrapper) {
    wrapper.hidden = wrapper.dataset.modes.split(" ").indexOf(select.value) < 0;
  });
}
document.querySelectorAll("[data-matter-form]").forEach(function (form) {
  showFieldsOfMode(form);
  form.addEventListener("change", function (event) {
    if (event.target.matches("[data-mode-select]")) showFieldsOfMode(form);
  });
});

// What templates once did in on* attributes, which the Content-Security-Policy (no inline script) forbids:
// a form marked data-confirm asks before it is sent, a select marked data-autosubmit sends its form when it
// changes, a button marked data-print prints the page.
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
