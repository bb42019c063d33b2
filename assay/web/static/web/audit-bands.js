// The band of a score, shown live beside each 0-10 input of an audit scoring form.
// The bands come from the standard (data-bands on the form: [[low, high, label], ...]).
(function () {
  function bandOf(bands, value) {
    for (var i = 0; i < bands.length; i++) {
      if (value >= bands[i][0] && value <= bands[i][1]) return bands[i][2];
    }
    return "";
  }
  function show(input, bands) {
    var out = document.getElementById(input.getAttribute("data-band-output"));
    if (!out) return;
    var raw = input.value.trim();
    var value = Number(raw);
    out.textContent = raw === "" || !Number.isInteger(value) ? "" : bandOf(bands, value) || "off the scale";
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-bands]").forEach(function (form) {
      var bands = JSON.parse(form.getAttribute("data-bands"));
      form.querySelectorAll("input[data-band-output]").forEach(function (input) {
        input.addEventListener("input", function () { show(input, bands); });
        show(input, bands);
      });
    });
  });
})();
