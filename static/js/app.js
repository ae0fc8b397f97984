// CreditCheck: progressive enhancements only; every page works without this file.
(function () {
  "use strict";

  // Forms with data-confirm ask before submitting (e.g. "Converter em cliente").
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Masks CPF (000.000.000-00), CNPJ (00.000.000/0000-00, letters allowed in the first 12
  // characters: alphanumeric CNPJ) and CEP (00000-000) while typing. The server normalizes and
  // validates anyway; this is only a typing aid.
  function maskDocument(value) {
    var raw = value.toUpperCase().replace(/[^0-9A-Z]/g, "").slice(0, 14);
    if (raw.length <= 11 && /^[0-9]*$/.test(raw)) {
      return raw
        .replace(/^(\d{3})(\d)/, "$1.$2")
        .replace(/^(\d{3})\.(\d{3})(\d)/, "$1.$2.$3")
        .replace(/\.(\d{3})(\d{1,2})$/, ".$1-$2");
    }
    return raw
      .replace(/^(\w{2})(\w)/, "$1.$2")
      .replace(/^(\w{2})\.(\w{3})(\w)/, "$1.$2.$3")
      .replace(/\.(\w{3})(\w)/, ".$1/$2")
      .replace(/(\w{4})(\w{1,2})$/, "$1-$2");
  }

  function maskCep(value) {
    var raw = value.replace(/\D/g, "").slice(0, 8);
    return raw.length > 5 ? raw.slice(0, 5) + "-" + raw.slice(5) : raw;
  }

  // A header checkbox [data-select-all] toggles the row checkboxes of its table (the
  // negativação lists' batch actions).
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.hasAttribute || !box.hasAttribute("data-select-all")) {
      return;
    }
    box.closest("table").querySelectorAll("tbody input[type=checkbox]:not(:disabled)")
      .forEach(function (row) {
        row.checked = box.checked;
      });
  });

  // Live regions ([data-live-region], the screens that wait on a query or a negativação): an
  // htmx SSE stream tells when the state changes. While it is open, the polling fallback inside
  // the region ([data-poll-fallback]) stays quiet; when it fails, polling takes over.
  document.addEventListener("htmx:sseOpen", function (event) {
    event.target.setAttribute("data-sse-open", "1");
  });
  ["htmx:sseError", "htmx:sseClose"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      event.target.removeAttribute("data-sse-open");
    });
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.hasAttribute("data-poll-fallback") && elt.closest("[data-sse-open]")) {
      event.preventDefault();
    }
  });

  // Elapsed time of a running query ([data-elapsed]: seconds when the page was rendered).
  function formatElapsed(seconds) {
    if (seconds < 60) {
      return seconds + " s";
    }
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + " min " + (rest < 10 ? "0" : "") + rest + " s";
  }
  window.setInterval(function () {
    document.querySelectorAll("[data-elapsed]").forEach(function (counter) {
      if (!counter.hasAttribute("data-elapsed-shown-at")) {
        counter.setAttribute("data-elapsed-shown-at", String(Date.now()));
      }
      var since = Number(counter.getAttribute("data-elapsed-shown-at"));
      var seconds = Number(counter.getAttribute("data-elapsed")) + Math.floor((Date.now() - since) / 1000);
      counter.textContent = formatElapsed(seconds);
    });
  }, 1000);

  document.addEventListener("input", function (event) {
    var input = event.target;
    var mask = input.getAttribute && input.getAttribute("data-mask");
    if (mask === "document") {
      input.value = maskDocument(input.value);
    } else if (mask === "cep") {
      input.value = maskCep(input.value);
    }
  });
})();
