// Configurações > Integrações: "Intervalo de dias para consultar o mesmo CPF/CNPJ" is editable only
// while "Utiliza integração com análise de crédito" is Sim. The server ignores it otherwise.
(function () {
  "use strict";

  function sync() {
    var chosen = document.querySelector('input[name="enabled"]:checked');
    var enabled = chosen !== null && chosen.value === "1";
    document.querySelectorAll("[data-interval-input]").forEach(function (input) {
      input.disabled = !enabled;
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.name === "enabled") {
      sync();
    }
  });
  document.addEventListener("DOMContentLoaded", sync);
})();
