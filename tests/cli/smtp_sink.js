// A tiny SMTP server for the reminder tests: listens on 127.0.0.1 (a port the
// kernel picks, printed as "listening PORT"), accepts every message and writes
// each to DIR/NNN.eml (with the envelope as "X-Envelope-From/To" lines first).
// With --refuse it answers every RCPT with 550, to test a refusing server.
// usage: node smtp_sink.js DIR [--refuse]
'use strict';
const net = require('net');
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
const refuse = process.argv.includes('--refuse');
let count = 0;

const server = net.createServer((sock) => {
  let buf = '';
  let inData = false;
  let from = '';
  let rcpt = [];
  let data = [];
  const say = (line) => sock.write(line + '\r\n');
  say('220 sink.invalid ESMTP test sink');
  sock.on('data', (chunk) => {
    buf += chunk.toString('utf8');
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (inData) {
        if (line === '.') {
          inData = false;
          count += 1;
          const name = path.join(dir, String(count).padStart(3, '0') + '.eml');
          const text = ['X-Envelope-From: ' + from, 'X-Envelope-To: ' + rcpt.join(', ')]
            .concat(data.map((l) => (l.startsWith('..') ? l.slice(1) : l))).join('\n') + '\n';
          fs.writeFileSync(name, text);
          data = [];
          rcpt = [];
          say('250 OK queued');
        } else {
          data.push(line);
        }
        continue;
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO' || verb === 'HELO') say('250 sink.invalid');
      else if (verb === 'MAIL') { from = line.replace(/^MAIL FROM:\s*/i, ''); say('250 OK'); }
      else if (verb === 'RCPT') {
        if (refuse) say('550 no such user here');
        else { rcpt.push(line.replace(/^RCPT TO:\s*/i, '')); say('250 OK'); }
      } else if (verb === 'DATA') { inData = true; say('354 end with .'); }
      else if (verb === 'RSET') { rcpt = []; data = []; say('250 OK'); }
      else if (verb === 'NOOP') say('250 OK');
      else if (verb === 'QUIT') { say('221 bye'); sock.end(); }
      else say('502 not implemented');
    }
  });
  sock.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write('listening ' + server.address().port + '\n');
});
