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
