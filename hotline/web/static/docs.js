// /docs: Swagger UI from the vendored swagger-ui-dist files, reading this server's OpenAPI document.
"use strict";
window.ui = window.SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
