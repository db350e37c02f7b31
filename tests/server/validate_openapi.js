// Validates an OpenAPI file with @apidevtools/swagger-parser (schema and
// references), then prints its operations as "METHOD /path", one a line,
// so the test can compare them with the server's route table.
// usage: node validate_openapi.js ROOT/node_modules FILE
'use strict';
const path = require('path');
const SwaggerParser = require(path.join(process.argv[2], '@apidevtools/swagger-parser'));
SwaggerParser.validate(process.argv[3])
  .then((api) => {
    const ops = [];
    for (const [p, item] of Object.entries(api.paths)) {
      for (const m of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']) {
        if (item[m]) ops.push(`${m.toUpperCase()} ${p}`);
      }
    }
    console.log(ops.sort().join('\n'));
  })
  .catch((e) => {
    console.error(`invalid: ${e.message}`);
    process.exit(1);
  });
