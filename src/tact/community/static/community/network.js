/* The competence network: organisations and competences (or organisations linked by joint
   projects) drawn with the vendored cytoscape, fed by the JSON endpoint named in data-src.
   Clicking a node shows its details in the side panel. */
(function () {
  "use strict";
  var box = document.getElementById("network");
  if (!box || typeof cytoscape === "undefined") { return; }
  var t = JSON.parse(document.getElementById("network-i18n").textContent);
  var details = document.getElementById("network-details");
  var status = document.getElementById("network-status");

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function show(node, cy) {
    var d = node.data();
    details.replaceChildren();
    if (d.type === "organisation") {
      details.appendChild(el("h2", d.label));
      details.appendChild(el("p", t.organisation + " · " + d.kind_label + " · " + t.region + " " + d.region +
        (d.synthetic ? " · " + t.synthetic : "")));
      var list = el("ul");
      node.connectedEdges().forEach(function (e) {
        var other = e.source().id() === node.id() ? e.target() : e.source();
        var label = other.data("label") + (other.data("type") === "competence" ? " (" + t.level + " " + e.data("weight") + ")" : " (" + e.data("weight") + " " + t.projects + ")");
        list.appendChild(el("li", label));
      });
      details.appendChild(list);
      var link = el("a", t.open, { href: box.dataset.orgUrl.replace("/0/", "/" + d.org + "/") });
      details.appendChild(el("p")).appendChild(link);
    } else {
      details.appendChild(el("h2", d.label));
      details.appendChild(el("p", t.competence + " · " + d.group));
      var link2 = el("a", t.holders, { href: box.dataset.searchUrl + "?competence=" + encodeURIComponent(d.code) });
      details.appendChild(el("p")).appendChild(link2);
      var holders = el("ul");
      node.connectedEdges().forEach(function (e) {
        holders.appendChild(el("li", e.source().data("label") + " (" + t.level + " " + e.data("weight") + ")"));
      });
      details.appendChild(holders);
    }
    cy.elements().removeClass("faded");
    cy.elements().not(node.closedNeighborhood()).addClass("faded");
  }

  fetch(box.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (data) {
      if (!data.nodes.length) { status.textContent = t.empty; return; }
      var cy = cytoscape({
        container: box,
        elements: { nodes: data.nodes, edges: data.edges },
        wheelSensitivity: 0.3,
        style: [
          { selector: "node", style: { "label": "data(label)", "font-size": 9, "text-valign": "bottom", "text-margin-y": 2, "color": "#222", "text-outline-color": "#fff", "text-outline-width": 2, "min-zoomed-font-size": 7 } },
          { selector: "node[type = 'organisation']", style: { "background-color": "#1d4e89", "width": 14, "height": 14 } },
          { selector: "node[?synthetic]", style: { "border-width": 2, "border-style": "dashed", "border-color": "#1d4e89", "background-color": "#8fb3dc" } },
          { selector: "node[type = 'competence']", style: { "background-color": "#e07a1f", "shape": "round-rectangle", "width": 18, "height": 18, "font-weight": "bold" } },
          { selector: "edge", style: { "width": "mapData(weight, 1, 5, 0.5, 4)", "line-color": "#9aa8b8", "opacity": 0.7 } },
          { selector: ".faded", style: { "opacity": 0.12 } },
          { selector: "node:selected", style: { "border-width": 3, "border-color": "#c1121f" } }
        ],
        layout: { name: data.nodes.length > 600 ? "grid" : "cose", animate: false, randomize: false, numIter: 600, nodeRepulsion: 6000, idealEdgeLength: 60 }
      });
      window.tactNetwork = cy;
      box.dataset.nodes = String(cy.nodes().length);
      status.textContent = cy.nodes().length + " " + t.nodes + ", " + cy.edges().length + " " + t.links +
        (data.truncated ? ". " + t.truncated : "");
      cy.on("tap", "node", function (evt) { show(evt.target, cy); });
      cy.on("tap", function (evt) { if (evt.target === cy) { cy.elements().removeClass("faded"); } });
    })
    .catch(function () { status.textContent = t.failed; });
})();
