// Draws every chart whose figure the page embeds as JSON (<script type="application/json">).
// The tables beside the charts carry the same figures, so the page reads without JavaScript.
document.querySelectorAll("[data-figure]").forEach(function (element) {
  var source = document.getElementById(element.dataset.figure);
  if (!source || typeof Plotly === "undefined") return;
  var figure = JSON.parse(source.textContent);
  Plotly.newPlot(element, figure.data, figure.layout, {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
  }).then(function () {
    element.dataset.drawn = "true";
  });
});
