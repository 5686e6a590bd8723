// The template editor's live preview: as the merchant types, the form is posted (with its CSRF
// token) to the preview endpoint, which renders it for a customer of the store and answers JSON
// {subject, html, text, segments, customer} or {error: {field, message}}. Without JavaScript the
// form's "Preview" button renders the same preview on the server.
(function () {
  "use strict";
  var form = document.querySelector("[data-preview-form]");
  if (!form) return;

  // Links in the preview would open a window, which the frame's sandbox refuses: looking at a
  // preview never follows a link.
  var FRAME_HEAD = '<base target="_blank">';
  var WAIT_MS = 350;
  var timer = null;
  var sent = 0;

  function find(name) {
    return document.querySelector("[data-" + name + "]");
  }

  function text(name, value) {
    var element = find(name);
    if (element) element.textContent = value;
  }

  function showSegments(channel, segments) {
    var box = find("preview-segments");
    if (!box) return;
    var counted = (box.dataset.segmented || "").split(" ");
    box.hidden = counted.indexOf(channel) === -1;
    if (!segments) return;
    text("segments-count", String(segments.segments));
    text("segments-encoding", segments.encoding);
    text("segments-characters", String(segments.characters));
  }

  function show(data) {
    var error = find("preview-error");
    if (data.error) {
      error.textContent = (data.error.field ? data.error.field + ": " : "") + data.error.message;
      error.hidden = false;
      form.dataset.previewState = "error";
      return;
    }
    error.hidden = true;
    error.textContent = "";
    text("preview-subject", data.subject);
    text("preview-text", data.text);
    var frame = find("preview-html");
    if (frame) frame.srcdoc = data.html ? FRAME_HEAD + data.html : "";
    var customer = data.customer;
    if (customer) {
      text(
        "preview-customer",
        "for " + (customer.sample ? "a sample customer" : customer.name + (customer.email ? " (" + customer.email + ")" : ""))
      );
    }
    showSegments(form.elements.channel.value, data.segments);
    form.dataset.previewState = "ready";
  }

  function refresh() {
    var body = new FormData(form);
    var token = form.elements.csrfmiddlewaretoken.value;
    var number = ++sent;
    form.dataset.previewState = "loading";
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        if (number === sent) show(data); // an older answer arriving late is dropped
      })
      .catch(function () {
        if (number !== sent) return;
        show({ error: { field: "", message: "The preview could not be loaded; check the connection." } });
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, WAIT_MS);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  showSegments(form.elements.channel.value, null);
})();
