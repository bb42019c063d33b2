// The unit screen swaps one card at a time, so a form elsewhere on the page may still carry the
// decision number it was rendered with. Send the page's current number (#unit-seq, refreshed
// out of band by every swap) so a second act in place is not refused as stale.
document.addEventListener("htmx:configRequest", (event) => {
  const seq = document.getElementById("unit-seq");
  if (seq && event.detail.elt.closest("#unit-screen")) {
    event.detail.parameters.expected_seq = seq.value;
  }
});
