/*
 * Regulars reviews widget.
 *
 * On a store's page:
 *   <script src="https://REGULARS/static/feedback/widget.js" data-store="STORE_PUBLIC_ID"
 *           data-product="PRODUCT_ID" data-lang="en" async></script>
 * puts an <iframe> with the product's reviews where the tag is (data-target="#some-id" puts it
 * in that element instead). Without data-product it shows the store's testimonials.
 * Optional: data-per-page (1-50), data-base (the Regulars address, when this file is served
 * from elsewhere).
 *
 * Inside that frame (the page loads this same file with data-frame) it tells the store's page
 * its height, so the frame grows with its content. Review text never passes through this
 * script: the frame's page is rendered, and escaped, by the server.
 */
(function () {
  "use strict";
  var MESSAGE = "regulars-widget-height";
  var script = document.currentScript;
  if (!script) return;

  if (script.hasAttribute("data-frame")) {
    if (window.parent === window) return;
    var last = 0;
    var report = function () {
      var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height !== last) {
        last = height;
        window.parent.postMessage({ type: MESSAGE, height: height }, "*");
      }
    };
    if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
    window.addEventListener("load", report);
    report();
    return;
  }

  var store = script.getAttribute("data-store");
  if (!store) return;
  var product = script.getAttribute("data-product");
  var src = new URL(script.src, document.baseURI);
  var base = script.getAttribute("data-base") ||
    src.origin + src.pathname.split("/static/")[0];
  base = base.replace(/\/+$/, "");

  var path = product
    ? "/f/w/" + encodeURIComponent(store) + "/" + encodeURIComponent(product) + "/"
    : "/f/t/" + encodeURIComponent(store) + "/";
  var url = new URL(base + path);
  var lang = script.getAttribute("data-lang");
  if (lang) url.searchParams.set("lang", lang);
  var perPage = script.getAttribute("data-per-page");
  if (product && perPage) url.searchParams.set("per_page", perPage);

  var frame = document.createElement("iframe");
  frame.src = url.href;
  frame.title = product ? "Reviews" : "Testimonials";
  frame.loading = "lazy";
  frame.setAttribute("data-regulars-widget", "");
  frame.style.cssText = "display:block;width:100%;min-height:12rem;border:0;overflow:hidden";
  frame.setAttribute("scrolling", "no");

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || event.origin !== url.origin) return;
    var data = event.data;
    if (!data || data.type !== MESSAGE || typeof data.height !== "number") return;
    var height = Math.max(0, Math.min(Math.round(data.height), 20000));
    frame.style.height = height + "px";
  });

  var targetSelector = script.getAttribute("data-target");
  var target = targetSelector ? document.querySelector(targetSelector) : null;
  if (target) {
    target.appendChild(frame);
  } else {
    script.parentNode.insertBefore(frame, script.nextSibling);
  }
})();
