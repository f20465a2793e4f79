// Renders the API's OpenAPI document (beside this page) with the vendored Redoc. The
// document's address is relative to the page: /{api}/api/v1/schema/ -> .../schema/openapi.json.
(function () {
  var element = document.getElementById("redoc");
  var page = window.location.pathname.replace(/\/?$/, "/");
  Redoc.init(page + element.getAttribute("data-spec"), {
    hideDownloadButton: false,
    disableSearch: false,
    expandResponses: "200,201",
  }, element);
})();
