// The auditor's page: everything it shows comes from Zaakstroom's own APIs, called with
// the token the auditor gives (kept in this tab only; a #token=... in the address is read
// and removed from it, never sent to the server). The same grants apply as to any client.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  // What can be audited: where its detail (and audit trail) is, and its stream.
  var KINDS = {
    zaak: { path: "/zaken/api/v1/zaken/", stream: "zaak-" },
    informatieobject: {
      path: "/documenten/api/v1/enkelvoudiginformatieobjecten/", stream: "document-"
    },
    besluit: { path: "/besluiten/api/v1/besluiten/", stream: "besluit-" }
  };
  var params = new URLSearchParams(window.location.hash.slice(1));
  if (params.get("token")) { sessionStorage.setItem("zaakstroom-token", params.get("token")); }
  Object.keys(KINDS).forEach(function (kind) {
    if (params.get(kind)) { $("kind").value = kind; $("target").value = params.get(kind); }
  });
  if (params.has("token")) { history.replaceState(null, "", window.location.pathname); }
  $("token").value = sessionStorage.getItem("zaakstroom-token") || "";

  function api(path) {
    return fetch(path, {
      headers: {
        "Authorization": "Bearer " + $("token").value.trim(),
        "Accept": "application/json",
        "Accept-Crs": "EPSG:4326"
      }
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(r.status + " " + (body.detail || body.title || "")); }
        return body;
      });
    });
  }

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) { el.className = cls; }
    return el;
  }

  function show(body, heading) {
    $("object").textContent = JSON.stringify(body, null, 2);
    $("object-heading").textContent = heading;
  }

  // The fields an entry changed: old -> new, for each key whose value differs.
  function diff(wijzigingen) {
    var oud = (wijzigingen && wijzigingen.oud) || {};
    var nieuw = (wijzigingen && wijzigingen.nieuw) || {};
    var keys = Object.keys(Object.assign({}, oud, nieuw)).sort();
    return keys.filter(function (k) {
      return JSON.stringify(oud[k]) !== JSON.stringify(nieuw[k]);
    }).map(function (k) {
      return k + ": " + JSON.stringify(oud[k] === undefined ? null : oud[k]) + " \u2192 " +
        JSON.stringify(nieuw[k] === undefined ? null : nieuw[k]);
    });
  }

  function entry(e, objectPath) {
    var li = document.createElement("li");
    li.className = e.actie === "retrieve" ? "read" : "change";
    li.appendChild(text("div", e.aanmaakdatum, "when"));
    li.appendChild(text("div", (e.actieWeergave || e.actie) + " \u2014 " + e.resource, "what"));
    li.appendChild(text("div", "door " + (e.gebruikersWeergave || e.gebruikersId || "?") +
      " (" + e.applicatieId + ")", "who"));
    if (e.toelichting) { li.appendChild(text("div", "toelichting: " + e.toelichting, "why")); }
    diff(e.wijzigingen).forEach(function (line) { li.appendChild(text("div", line, "diff")); });
    if (e.actie !== "retrieve" && e.actie !== "destroy") {
      var button = text("button", "Bekijk zoals toen", "as-of");
      button.type = "button";
      button.addEventListener("click", function () {
        Array.prototype.forEach.call(document.querySelectorAll("#timeline li"), function (x) {
          x.classList.remove("selected");
        });
        li.classList.add("selected");
        api(objectPath + "?asOf=" + encodeURIComponent(e.aanmaakdatum)).then(function (past) {
          show(past, "Zoals op " + e.aanmaakdatum);
        }).catch(fail);
      });
      li.appendChild(button);
    }
    return li;
  }

  function fail(err) {
    $("error").textContent = String(err.message || err);
    $("error").hidden = false;
  }

  function load(event) {
    if (event) { event.preventDefault(); }
    $("error").hidden = true;
    sessionStorage.setItem("zaakstroom-token", $("token").value.trim());
    var given = $("target").value.trim();
    // A URL says what it is; a uuid is of the kind chosen.
    Object.keys(KINDS).forEach(function (kind) {
      if (given.indexOf(KINDS[kind].path) !== -1) { $("kind").value = kind; }
    });
    var kind = KINDS[$("kind").value];
    var uuid = given.split("/").filter(Boolean).pop();
    var objectPath = kind.path + uuid;
    Promise.all([
      api(objectPath),
      api(objectPath + "/audittrail?reads=true"),
      api("/events/chain?stream=" + kind.stream + uuid)
    ]).then(function (results) {
      var now = results[0], trail = results[1], chain = results[2];
      $("view").hidden = false;
      show(now, "Zoals nu");
      $("now").onclick = function () { show(now, "Zoals nu"); };
      var list = $("timeline");
      list.textContent = "";
      trail.forEach(function (e) { list.appendChild(entry(e, objectPath)); });
      $("chain").textContent = chain.intact
        ? "Hash-keten intact: " + chain.events + " gebeurtenissen"
        : "Hash-keten gebroken bij revisie " + chain.fault.revision + ": " + chain.fault.fault;
      $("chain").className = chain.intact ? "intact" : "broken";
    }).catch(fail);
  }

  $("pick").addEventListener("submit", load);
  if ($("target").value && $("token").value) { load(); }
})();
