// Behaviour that used to sit in inline event handlers, which the Content Security Policy
// (script-src 'self') forbids: a <select data-submit-on-change> submits its form (the
// admin's language switch), a <button data-print> prints the page (the announcement).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-submit-on-change]") && target.form) {
    target.form.submit();
  }
});
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target.closest && target.closest("[data-print]")) {
    window.print();
  }
});
