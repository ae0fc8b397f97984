// Credit-query screens: a confirmed query is sent once. The server joins duplicates anyway
// (single flight per CPF/CNPJ); this only spares a second click while the page waits.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-submit-once") || event.defaultPrevented) {
      return;
    }
    if (form.getAttribute("data-submitted") === "1") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-submitted", "1");
    // Disabled after the browser collected the values: a disabled button is not sent.
    window.setTimeout(function () {
      form.querySelectorAll('button[type="submit"]').forEach(function (button) {
        button.disabled = true;
        button.insertAdjacentHTML("afterbegin", '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>');
      });
    }, 0);
  });
})();
