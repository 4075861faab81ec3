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
