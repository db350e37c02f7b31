// The subsystems' browser specs (redress.js, behaviour.js ...) in turn on one
// demo database, one server and one browser: each spec can also run alone,
// but starting all three for each of eight small specs costs more than the
// specs themselves (tests/meson.build runs this one).
'use strict';
const harness = require('./harness');

const specs = ['redress', 'behaviour', 'freezing', 'rights', 'joint', 'advocacy', 'person', 'retention'];

harness.run(async (t) => {
  for (const name of specs) {
    t.diag(`${name}.js`);
    await require(`./${name}`)(t);
  }
});
