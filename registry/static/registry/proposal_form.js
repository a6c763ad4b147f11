/* The proposal form: the heritage-listing fieldset only for "list as heritage".
   Without JavaScript the fieldset stays visible, titled "仅用于列入地名文化遗产". */
(function () {
  "use strict";
  function setUp() {
    var action = document.getElementById("id_action");
    var box = document.querySelector("fieldset.heritage-fields");
    if (!action || !box) { return; }
    function sync() { box.style.display = action.value === "list_heritage" ? "" : "none"; }
    action.addEventListener("change", sync);
    sync();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); } else { setUp(); }
})();
