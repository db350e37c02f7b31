// A client that keeps its connection open between requests, as the browser
// tests' API requests do (playwright-core's request context: node's
// http.Agent with keepAlive, and no retry), sending its next request while
// the server's only worker is held up by another request.
//
// usage: node keepalive_client.js BASE AUTHORIZATION
//   1. GET BASE/nowhere on the kept-alive connection (answered without the
//      database);
//   2. at once, on a connection of its own, GET BASE/api/v1/cases with the
//      Authorization header, which waits for the cases table the test has
//      locked, and with it the worker;
//   3. a moment later GET BASE/nowhere again on the kept-alive connection:
//      its bytes wait unread until the worker is free again, for longer
//      than the server's --timeout.
// Prints one JSON line: {"first": STATUS, "held": STATUS or error code,
// "second": STATUS or null, "error": error code or null, "reused": bool}.
'use strict';
const http = require('http');

const [base, authorization] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true });

function get(path, options) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, options, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

(async () => {
  const out = { first: null, held: null, second: null, error: null, reused: null };
  out.first = (await get('/nowhere', { agent })).status;
  const held = get('/api/v1/cases', { agent: false, headers: { Authorization: authorization } })
    .then((r) => { out.held = r.status; }, (e) => { out.held = e.code || String(e); });
  await new Promise((resolve) => setTimeout(resolve, 300));
  try {
    const second = await get('/nowhere', { agent });
    out.second = second.status;
    out.reused = second.reused;
  } catch (e) {
    out.error = e.code || String(e);
  }
  await held;
  agent.destroy();
  console.log(JSON.stringify(out));
})();
