// Starts Swagger UI on the API documentation page (templates/api/docs.html), from a static
// file rather than an inline script: the Content Security Policy allows only our own files.
"use strict";
(function () {
  var node = document.getElementById("swagger-ui");
  if (!node || !window.SwaggerUIBundle) {
    return;
  }
  window.SwaggerUIBundle({
    url: node.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    // Deep links would put a link inside each operation's toggle button (axe: nested-interactive).
    deepLinking: false,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    // Nothing fetched from elsewhere: no badge from the online validator.
    validatorUrl: null,
  });
})();
